// An offer of the catalogue as every query returns it: OfferRecord
// (src/modules/offers/offer.type.ts), inside the map projection of the offer: `o {@offer}`.
.id, .name, .productFamily
