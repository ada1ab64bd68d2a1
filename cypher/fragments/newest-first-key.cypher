// @params t
// A time as a sort key that puts the newest first when keys are read in ascending order, as a
// range index serves them: the milliseconds from `t` to 9999-12-31T23:59:59.999Z, as 16 digits
// (zero-padded, so the string order is the number order). Null when `t` is null. The orders'
// listKey (fragments/order-list-key.cypher) and their cursors (orders/list.cypher) use it.
right("0000000000000000" + toString(253402300799999 - @t.epochMillis), 16)
