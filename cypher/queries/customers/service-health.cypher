// Status of the services behind the product families each customer subscribes to (through the
// caller's organisation).
UNWIND $ids AS customerId
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: customerId})
@visible-subscriptions(me, c, s)
WITH DISTINCT customerId, s.productFamily AS family
MATCH (st:ServiceStatus {productFamily: family})
WITH customerId, st ORDER BY st.service
RETURN customerId, collect(st {@service-health}) AS services
