// @params owner, afterKey, afterId
// The bounds of the owner's listKeys (fragments/list-key.cypher) after a cursor, as two variables
// `fromKey` and `toKey`: `WITH me, @list-key-range(me, $afterKey, $afterId)`, then
// `WHERE e.listKey > fromKey AND e.listKey < toKey`. Without a cursor ($afterKey null), from the
// owner's first key; U+0001 ends the owner's range.
@owner.id + "\u0000" + coalesce(@afterKey + "\u0000" + @afterId, "") AS fromKey, @owner.id + "\u0001" AS toKey
