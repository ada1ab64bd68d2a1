// D-13 import, dry run: what a batch would create (customers new to the graph, relationships the
// partner does not have yet), without writing.
MATCH (p:Partner {id: $partnerId})
UNWIND $rows AS row
OPTIONAL MATCH (old:Customer {domain: row.domain})
RETURN count(row) AS rows,
       count(CASE WHEN old IS NULL THEN 1 END) AS customersCreated,
       count(CASE WHEN old IS NULL OR NOT EXISTS { (p)-[:RESELLER_OF_RECORD]->(old) } THEN 1 END) AS relationshipsCreated
