// One customer of the caller's organisation (T-2, T-4) with, when selected, its partners,
// subscriptions and channel paths, read by the fragments that customers/partners.cypher,
// customers/subscriptions.cypher and customers/channel-paths.cypher read them by: one round trip.
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
RETURN c {@customer(c)} AS customer, partners, subscriptions, paths
