// A user as every query returns it: UserRecord (src/modules/users/user.type.ts), inside the map
// projection of the user: `u {@user}`. Never the password hash or the session version (T-5).
.id, .email, .displayName, .agentRole, .adminRole, .mustChangePassword, .createdAt
