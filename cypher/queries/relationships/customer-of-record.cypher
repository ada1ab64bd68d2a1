// D-20, T-2, T-4: the customer the caller's organisation has a reseller relationship with, by id;
// no row when it has none (never had, ended already, or no such customer): NOT_FOUND alike.
MATCH (:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: $customerId})
RETURN c.id AS id
