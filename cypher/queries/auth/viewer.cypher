// The caller, read on every request so role changes and removals apply at once. It also returns
// the caller's user and organisation records, which prime the loaders: `me` costs no query more.
// With $withStats (the request names channelStats), the organisation's ChannelStats come along,
// computed as stats/channel.cypher does (degrees and the stored shared-customer count, all O(1)),
// so that operation is one statement instead of two; shield still decides whether they are shown.
MATCH (u:User {id: $userId})
OPTIONAL MATCH (u)-[:MEMBER_OF]->(p:Partner)
OPTIONAL CALL (p) {
  WITH p WHERE $withStats AND p IS NOT NULL
  WITH p, COUNT { (p)-[:RESELLER_OF_RECORD]->() } AS customers, coalesce(p.sharedCustomerCount, 0) AS sharedCustomers
  RETURN {
    providers: CASE WHEN p:Provider THEN 1 ELSE COUNT { (p)<-[:INDIRECT_PROVIDER_OF]-() } END,
    resellers: CASE WHEN p:Reseller THEN 1 ELSE COUNT { (p)-[:INDIRECT_PROVIDER_OF]->() } END,
    customers: customers, sharedCustomers: sharedCustomers,
    customersWithoutProvider: CASE WHEN p:Provider THEN 0 ELSE customers - sharedCustomers END
  } AS channelStats
}
RETURN u {.id, .email, .agentRole, .adminRole, .mustChangePassword, isOperator: u:Operator,
          sessionVersion: coalesce(u.sessionVersion, 0)} AS user,
       p {.id, .kind, .enrollmentStatus} AS partner,
       u {.id, .email, .displayName, .agentRole, .adminRole, .mustChangePassword, .createdAt} AS userRecord,
       p {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus, partnerSince: null} AS partnerRecord,
       channelStats
