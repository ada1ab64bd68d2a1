// What submitOrder needs to know, in the order's own write transaction, before it writes (C14).
// The customer is read only through the provider's own reseller relationship (D-12: out of
// scope reads as missing, T-4), and its node is write-locked first, so the checks below see any
// concurrent change to its relationships that committed before, and a change that comes later
// waits for this order (which then reads as placed before it).
MATCH (me:Provider {id: $viewerPartnerId})
OPTIONAL MATCH (me)-[:INDIRECT_PROVIDER_OF]->(r:Reseller {id: $resellerId})
OPTIONAL MATCH (me)-[:RESELLER_OF_RECORD]->(locked:Customer {id: $customerId})
SET locked.lastOrderedAt = datetime({epochMillis: $now})
WITH me, r, locked
OPTIONAL MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer {id: $customerId})
RETURN
  r IS NOT NULL AS resellerFound,
  r.mpnId AS resellerMpnId,
  c IS NOT NULL AS customerFound,
  c IS NOT NULL AND r IS NOT NULL AND EXISTS { (r)-[:RESELLER_OF_RECORD]->(c) } AS resellerOfRecord,
  [i IN range(0, size($offerIds) - 1) WHERE NOT EXISTS { MATCH (:Offer {id: $offerIds[i]}) }] AS missingOfferIndexes
