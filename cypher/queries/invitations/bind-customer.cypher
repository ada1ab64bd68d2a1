// D-14, D-18: the customer of the invited domain (created with the given profile when new;
// an existing one is never changed) and the sender's reseller relationship with it. A reseller
// gets delegated admin (D-14, D-16); a provider's own relationship does not (product decision).
MATCH (sender:Partner {id: $senderId})
MERGE (c:Customer {domain: $domain})
  ON CREATE SET c.id = $customerId, c.companyName = $companyName, c.companyNameLower = toLower($companyName),
                c.countryCode = $countryCode, c.createdAt = datetime({epochMillis: $now})
MERGE (sender)-[e:RESELLER_OF_RECORD]->(c)
  ON CREATE SET e.since = datetime({epochMillis: $now}), e.delegatedAdmin = sender:Reseller,
                e.listKey = @customer-list-key(sender, c)
  ON MATCH SET e.delegatedAdmin = coalesce(e.delegatedAdmin, false) OR sender:Reseller
RETURN c {@customer(c)} AS customer
