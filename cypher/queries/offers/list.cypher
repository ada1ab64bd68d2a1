MATCH (o:Offer)
RETURN o {@offer} AS offer
ORDER BY o.name, o.id
