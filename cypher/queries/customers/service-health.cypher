// Status of the services behind the product families each customer subscribes to (through the
// caller's organisation).
UNWIND $ids AS customerId
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: customerId})
MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription)
WHERE EXISTS { (s)-[:SOLD_THROUGH|ORDERED_BY]->(me) }
WITH DISTINCT customerId, s.productFamily AS family
MATCH (st:ServiceStatus {productFamily: family})
WITH customerId, st ORDER BY st.service
RETURN customerId, collect(st {.service, .productFamily, .status, .updatedAt}) AS services
