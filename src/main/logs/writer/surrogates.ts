// Streamed text must reach the database as valid UTF-8: the driver aborts the whole process
// (a Rust unwrap on a Utf8Error) when it reads back a row whose text the SQL fold assembled from
// a chunk holding half of a surrogate pair. A provider can send such a half legitimately (an emoji
// split across two deltas) or not (an escaped "\ud83d" alone in its JSON), so the writer joins
// halves split across deltas and turns any half that stays alone into U+FFFD.

const REPLACEMENT = '\uFFFD';
// A high half not followed by a low one, or a low half not preceded by a high one.
const LONE_HALF = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface JoinedDelta {
  /** Well-formed text to store now (may be empty). */
  text: string;
  /** A trailing high half kept back for the next delta ('' when none). */
  held: string;
}

/** ES2024's String.prototype.isWellFormed (Node ≥ 20; this project's lib is ES2023). */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Joins a delta to the high half held back from the previous one. */
export function joinDelta(held: string, delta: string): JoinedDelta {
  // The hot path: one native check per delta, no string built.
  if (held === '' && isWellFormed(delta)) return { text: delta, held: '' };
  let text = held + delta;
  let next = '';
  const last = text.charCodeAt(text.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) {
    next = text.slice(-1);
    text = text.slice(0, -1);
  }
  return { text: text.replace(LONE_HALF, REPLACEMENT), held: next };
}

/** What a half held back at the end of a stream stands for: nothing ever completed it. */
export function unpairedHalf(held: string): string {
  return held === '' ? '' : REPLACEMENT;
}
