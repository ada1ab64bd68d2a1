// Queries match `(:Provider {id: ...})` and `(:Reseller {id: ...})`; the uniqueness constraint is
// on :Partner(id), which the planner cannot use for those labels (it scanned every reseller).
CREATE INDEX provider_id IF NOT EXISTS FOR (p:Provider) ON (p.id);
CREATE INDEX reseller_id IF NOT EXISTS FOR (r:Reseller) ON (r.id);
