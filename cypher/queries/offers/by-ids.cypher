UNWIND $ids AS id
MATCH (o:Offer {id: id})
RETURN o {.id, .name, .productFamily} AS offer
