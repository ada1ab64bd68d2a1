// D-20, T-2, T-4: the customer the caller's organisation has a reseller relationship with, by id;
// no row when it has none (never had, ended already, or no such customer): NOT_FOUND alike. The
// walk starts at the customer (the hint), never at the organisation's customers.
MATCH (c:Customer {id: $customerId})<-[:RESELLER_OF_RECORD]-(:Partner {id: $viewerPartnerId})
USING INDEX c:Customer(id)
// Its name is for the change's channel events (D-28: CUSTOMER_RELATIONSHIP_ENDED, DELEGATED_ADMIN_TERMINATED).
RETURN c.id AS id, c.companyName AS companyName
