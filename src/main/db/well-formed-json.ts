// JSON for SQLite's JSON functions. JSON.stringify writes half of a surrogate pair (text from a
// model stream or an imported file can hold one) as an escape like \ud83d; SQLite's json_each and
// ->> decode that into bytes that are not UTF-8, and the driver aborts the whole process (a Rust
// unwrap on a Utf8Error) when it later reads such a value back. Lone halves become U+FFFD here,
// the same character a plain bound string gets for them.

// An escaped lone half: JSON.stringify writes escapes in lower case and writes well-formed pairs
// as the characters themselves, so any \ud800–\udfff escape it wrote is alone. A run of escaped
// backslashes before it (an even count) is text, not the escape's start.
const LONE_HALF_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

export function wellFormedJson(value: unknown): string {
  const json = JSON.stringify(value);
  // The scan costs a fraction of the stringify; the replace runs only when there is something to do.
  return json.includes('\\ud') ? json.replace(LONE_HALF_ESCAPE, '$1\\ufffd') : json;
}
