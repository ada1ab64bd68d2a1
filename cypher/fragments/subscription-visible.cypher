// @params s, me
// T-2, D-21: organisation `me` reads subscription `s` when it is a partner of record of the
// subscription's customer, whoever the subscription was sold through or ordered by (as Partner
// Center shows a co-selling partner's subscriptions). Changing it is narrower:
// fragments/subscription-changeable.cypher.
EXISTS { (@s)<-[:HAS_SUBSCRIPTION]-(:Customer)<-[:RESELLER_OF_RECORD]-(@me) }
