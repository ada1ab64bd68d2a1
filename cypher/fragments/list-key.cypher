// @params owner, sortKey, id
// The listKey of an edge that a list pages through: the list's owner, then the list's order
// (sort key, id), as one string: owner id + U+0000 + sort key + U+0000 + id. U+0000 sorts before
// any character a name may hold, so the string order is the tuple order, and a range index on it
// serves one owner's page as one ordered seek (migrations 0006, 0008; fragments/list-key-range.cypher
// is the seek). Every statement that creates such an edge sets it through the fragment of its
// list: fragments/customer-list-key.cypher, fragments/partnership-list-key.cypher.
@owner.id + "\u0000" + @sortKey + "\u0000" + @id
