// D-22, T-3, T-4: the caller's organisation and the partner `partnerId` when the two have a
// partnership (INDIRECT_PROVIDER_OF runs provider -> reseller, either may be the caller); no row
// otherwise. With what the mail to the other side needs: its primary contact and the caller's name.
MATCH (me:Partner {id: $viewerPartnerId}), (other:Partner {id: $partnerId})
WHERE EXISTS { (me)-[:INDIRECT_PROVIDER_OF]-(other) }
RETURN me {@partner} AS me,
       other {@partner, primaryContactName: other.primaryContactName, primaryContactEmail: other.primaryContactEmail} AS other
