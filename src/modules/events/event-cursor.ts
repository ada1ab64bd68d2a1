/**
 * The cursor of a `channelEvents` message (D-29): the event's `seq`, opaque to clients (unpadded
 * base64url of "seq:<n>"). Kept apart from the resolver so that tools and tests read it without
 * loading type-graphql's decorators.
 */
const CURSOR_PREFIX = "seq:";
const SEQ = /^seq:(0|[1-9]\d{0,15})$/;

export function encodeEventCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`, "utf8").toString("base64url");
}

/** The `seq` of a channelEvents cursor, or null when `cursor` is not one (it may be a feed's). */
export function eventCursorSeq(cursor: string): number | null {
  if (cursor.length > 40 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const match = SEQ.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) return null;
  const seq = Number(match[1]);
  return Number.isSafeInteger(seq) && encodeEventCursor(seq) === cursor ? seq : null;
}
