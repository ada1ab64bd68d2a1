MATCH (o:Offer)
RETURN o {.id, .name, .productFamily} AS offer
ORDER BY o.name, o.id
