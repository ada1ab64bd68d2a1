// D-13 import: the partner whose existing customer relationships are imported, by MPN ID.
MATCH (p:Partner {mpnId: $partnerMpnId})
RETURN p {@partner} AS partner
