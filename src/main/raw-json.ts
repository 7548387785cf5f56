// A result that is already JSON text. Big log reads are built as one JSON string by SQLite;
// parsing it into objects only for a transport to stringify them again cost most of a
// logs.page answer's time. The WebSocket host splices `json` into its frame as it is; every
// other consumer gets the parsed value (the dispatcher parses unless the transport opts in).

export class RawJson<T = unknown> {
  /** Phantom: the value `json` encodes, so handler types still check what a channel returns. */
  declare readonly __value?: T;

  /** `json` must be one complete, valid JSON value (the producer guarantees it; nobody re-checks). */
  constructor(readonly json: string) {}

  parse(): T {
    return JSON.parse(this.json) as T;
  }
}
