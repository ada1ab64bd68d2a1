// @params p, r
// The listKey of the INDIRECT_PROVIDER_OF edge from provider `p` to reseller `r` (migrations/0008):
// a provider's indirect resellers in the order (nameLower, id). Every statement that creates the
// edge sets it: `e.listKey = @partnership-list-key(p, r)`.
@list-key(@p, @r.nameLower, @r.id)
