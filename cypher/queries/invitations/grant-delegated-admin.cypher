// C4 accepted by the customer: delegated admin on the sender's existing reseller relationship.
// No row: the relationship ended since the request.
MATCH (:Partner {id: $senderId})-[e:RESELLER_OF_RECORD]->(c:Customer {id: $customerId})
SET e.delegatedAdmin = true, e.delegatedAdminSince = datetime({epochMillis: $now})
RETURN c {@customer(c)} AS customer
