// Customers that the caller's organisation and each partnered organisation both have a reseller
// relationship with (D-11), one keyset page per partner: fragments/shared-customer-page.cypher.
// No partnership edge, no list. totalCount is the partnership's stored count (migrations/0007).
UNWIND $ids AS otherId
MATCH (me:Partner {id: $viewerPartnerId})-[partnership:INDIRECT_PROVIDER_OF]-(o:Partner {id: otherId})
WITH me, o, coalesce(partnership.sharedCustomerCount, 0) AS totalCount
CALL (me, o) {
  @shared-customer-page(me, o, $afterKey, $afterId, $limit)
}
RETURN o.id AS parentId, totalCount, nodes
