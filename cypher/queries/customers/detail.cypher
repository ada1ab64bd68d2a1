// One customer of the caller's organisation (T-2, T-4) with, when selected, its partners,
// subscriptions, channel paths and the caller's delegated admin relationships with it (D-25, at
// $now, the request's time), read by the fragments that customers/partners.cypher,
// customers/subscriptions.cypher, customers/channel-paths.cypher and
// delegated-admin/by-customers.cypher read them by: one round trip.
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: $id})
CALL (me, c) {
  WITH me, c WHERE $withPartners
  @customer-partners(me, c)
}
CALL (me, c) {
  WITH me, c WHERE $withSubscriptions
  @customer-subscriptions(me, c)
}
CALL (me, c) {
  WITH me, c WHERE $withChannelPaths
  @customer-channel-paths(me, c)
}
CALL (me, c) {
  WITH me, c WHERE $withDelegatedAdmin
  @delegated-admin-of-customer(me, c, datetime({epochMillis: $now}))
}
RETURN c {@customer(c)} AS customer, partners, subscriptions, paths, delegatedAdminRelationships
