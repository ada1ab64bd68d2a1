// The caller, read on every request so role changes and removals apply at once. It also returns
// the caller's user and organisation records (the fragments users/by-ids and partners/by-ids
// return), which prime the loaders: `me` costs no query more.
// With $withStats (the request names channelStats), the organisation's ChannelStats come along,
// read as stats/channel.cypher reads them (fragments/channel-stats.cypher: degrees and the stored
// shared-customer count, all O(1)), so that operation is one statement instead of two; shield
// still decides whether they are shown.
MATCH (u:User {id: $userId})
OPTIONAL MATCH (u)-[:MEMBER_OF]->(p:Partner)
OPTIONAL CALL (p) {
  WITH p WHERE $withStats AND p IS NOT NULL
  @channel-stats(p)
}
// `user` and `partner` are the viewer (src/shared/auth/viewer.ts), not records.
RETURN u {.id, .email, .agentRole, .adminRole, .mustChangePassword, isOperator: u:Operator,
          sessionVersion: coalesce(u.sessionVersion, 0)} AS user,
       p {.id, .kind, .enrollmentStatus} AS partner,
       u {@user} AS userRecord,
       p {@partner, partnerSince: null} AS partnerRecord,
       channelStats
