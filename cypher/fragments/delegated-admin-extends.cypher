// @params g
// Whether delegated admin relationship `g` auto-extends (D-25): its autoExtend, never with
// GLOBAL_ADMINISTRATOR (whatever is stored). Read by fragments/delegated-admin-status.cypher (an
// ACTIVE relationship past its endsAt that extends is not EXPIRED) and fragments/delegated-admin.cypher
// (its endsAt as read).
(@g.autoExtend AND NOT 'GLOBAL_ADMINISTRATOR' IN @g.roles)
