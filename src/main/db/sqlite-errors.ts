// Telling SQLite's answers apart, in one place. The drivers report errors in different shapes:
// @libsql/client puts the primary code in `code` ("SQLITE_BUSY"), the `libsql` driver the
// extended one ("SQLITE_BUSY_SNAPSHOT"), a LibsqlBatchError wraps either, and some paths only
// keep the message ("database is locked").

interface SqliteErrorLike {
  code?: unknown;
  extendedCode?: unknown;
  rawCode?: unknown;
  message?: unknown;
  cause?: unknown;
}

function fields(e: unknown): { code: string; extended: string; raw: number | null; message: string } {
  const err = (typeof e === 'object' && e !== null ? e : {}) as SqliteErrorLike;
  return {
    code: typeof err.code === 'string' ? err.code : '',
    extended: typeof err.extendedCode === 'string' ? err.extendedCode : '',
    raw: typeof err.rawCode === 'number' ? err.rawCode : null,
    message: typeof err.message === 'string' ? err.message : String(e),
  };
}

/**
 * The database (or a table in it) is locked by another connection or process: waiting and
 * trying again is the right answer. Includes "statements in progress", the state a connection
 * is left in after a busy BEGIN (see recycling-client.ts).
 */
export function isBusyError(e: unknown): boolean {
  const { code, extended, raw, message } = fields(e);
  if (/^SQLITE_(BUSY|LOCKED)/.test(code) || /^SQLITE_(BUSY|LOCKED)/.test(extended)) return true;
  // Primary result codes 5 (BUSY) and 6 (LOCKED) sit in the low byte of extended codes.
  if (raw !== null && ((raw & 0xff) === 5 || (raw & 0xff) === 6)) return true;
  return /database is locked|database table is locked|SQL statements in progress/i.test(message);
}
