// D-22, T-3, T-4: the caller's organisation and the partner `partnerId` when the two have a
// partnership (INDIRECT_PROVIDER_OF runs provider -> reseller, either may be the caller); no row
// otherwise. With what the mail to the other side needs (D-24): the caller's record and, beside the
// other side's record, its primary contact (as invitations/lock-by-token returns its recipient).
MATCH (me:Partner {id: $viewerPartnerId}), (other:Partner {id: $partnerId})
WHERE EXISTS { (me)-[:INDIRECT_PROVIDER_OF]-(other) }
RETURN me {@partner} AS me,
       other {@partner} AS other, other.primaryContactName AS otherContactName, other.primaryContactEmail AS otherContactEmail
