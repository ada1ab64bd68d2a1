// A service request on behalf of a customer (C3): the customer must be of record for the caller
// (T-2), and the subscription, if any, must be that customer's and visible to the caller (sold
// through or ordered by it, as customers/subscriptions-by-ids). Out of scope reads as missing.
// D-26: the caller's organisation must also hold a delegated admin relationship with the customer
// that reads ACTIVE at $now (the domain's clock) and has a support role: SERVICE_SUPPORT_ADMINISTRATOR,
// HELPDESK_ADMINISTRATOR or GLOBAL_ADMINISTRATOR. Read in the request's write transaction.
OPTIONAL MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: $customerId})
OPTIONAL MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: $subscriptionId})
WHERE @subscription-visible(s, me)
RETURN c IS NOT NULL AS customerFound, s IS NOT NULL AS subscriptionFound, s.productFamily AS productFamily,
       c IS NOT NULL AND any(held IN [(me)-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)-[:FOR_CUSTOMER]->(c) | g {@delegated-admin(g, me, datetime({epochMillis: $now}))}]
         WHERE held.status = 'ACTIVE'
           AND any(role IN held.roles WHERE role IN ['SERVICE_SUPPORT_ADMINISTRATOR', 'HELPDESK_ADMINISTRATOR', 'GLOBAL_ADMINISTRATOR'])) AS delegatedAdmin
