// Counts within the caller's channel (operations.graphql, ChannelStats), all read, none counted
// here: fragments/channel-stats.cypher. auth/viewer.cypher reads the same when the request names
// channelStats (then this one is not run).
MATCH (me:Partner {id: $viewerPartnerId})
CALL (me) {
  @channel-stats(me)
}
RETURN channelStats.providers AS providers, channelStats.resellers AS resellers, channelStats.customers AS customers,
       channelStats.sharedCustomers AS sharedCustomers, channelStats.customersWithoutProvider AS customersWithoutProvider
