// @params status
// A relationship request as every query returns it: RelationshipRequestRecord
// (src/modules/invitations/invitation.type.ts), inside the map projection of the request, with
// its status given: the stored one (`r {@relationship-request(r.status)}`) or, when read, the one
// computed from expiresAt (invitations/list.cypher, D-17). Never tokenHash (T-5).
.id, .kind, status: @status, .createdAt, .expiresAt, .invitedEmail
