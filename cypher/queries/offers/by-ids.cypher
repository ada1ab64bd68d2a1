UNWIND $ids AS id
MATCH (o:Offer {id: id})
RETURN o {@offer} AS offer
