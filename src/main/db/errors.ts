// What kind of failure a database error is, from the shapes @libsql/client 0.18 really produces
// (see errors.test.ts): a LibsqlError with `code` (primary, e.g. SQLITE_READONLY), `extendedCode`
// (sometimes "UNKNOWN_SQLITE_ERROR_1544") and `rawCode` (extended number), or — when the file
// cannot even be opened — a plain Error whose only clue is the message
// `ConnectionFailed("Unable to open connection to local database …: 14")`. Node's own fs errors
// (EACCES, EROFS, ENOSPC…) are classified too, so callers need one check for both.

export type SqliteErrorClass = 'busy' | 'constraint' | 'full' | 'corrupt' | 'readonly' | 'cantopen' | 'other';

/** SQLite primary result codes (the low byte of an extended code). */
const PRIMARY: Record<number, SqliteErrorClass> = {
  5: 'busy', // SQLITE_BUSY
  6: 'busy', // SQLITE_LOCKED
  8: 'readonly', // SQLITE_READONLY
  11: 'corrupt', // SQLITE_CORRUPT
  13: 'full', // SQLITE_FULL
  14: 'cantopen', // SQLITE_CANTOPEN
  19: 'constraint', // SQLITE_CONSTRAINT
  26: 'corrupt', // SQLITE_NOTADB
};

const BY_NAME: Record<string, SqliteErrorClass> = {
  SQLITE_BUSY: 'busy',
  SQLITE_LOCKED: 'busy',
  SQLITE_READONLY: 'readonly',
  SQLITE_CORRUPT: 'corrupt',
  SQLITE_NOTADB: 'corrupt',
  SQLITE_FULL: 'full',
  SQLITE_CANTOPEN: 'cantopen',
  SQLITE_CONSTRAINT: 'constraint',
  // Node fs errors met on the same paths (creating the folder, checking access).
  EACCES: 'readonly',
  EPERM: 'readonly',
  EROFS: 'readonly',
  ENOSPC: 'full',
  EDQUOT: 'full',
};

const BY_MESSAGE: Array<[RegExp, SqliteErrorClass]> = [
  [/database is locked|database table is locked/i, 'busy'],
  [/database or disk is full|no space left/i, 'full'],
  [/file is not a database|database disk image is malformed/i, 'corrupt'],
  [/readonly database|read-only file system/i, 'readonly'],
  [/unable to open database/i, 'cantopen'],
  [/constraint failed/i, 'constraint'],
];

function primaryName(code: unknown): SqliteErrorClass | undefined {
  if (typeof code !== 'string' || code === '') return undefined;
  // SQLITE_CONSTRAINT_UNIQUE → SQLITE_CONSTRAINT; EACCES stays EACCES.
  const m = /^(SQLITE_[A-Z]+?)(?:_[A-Z_]+)?$/.exec(code);
  return BY_NAME[code] ?? (m ? BY_NAME[m[1]!] : undefined);
}

/** Classifies any error thrown by @libsql/client (or by fs around it). Never throws. */
export function classifySqliteError(e: unknown): SqliteErrorClass {
  if (e === null || typeof e !== 'object') return 'other';
  const err = e as { code?: unknown; extendedCode?: unknown; rawCode?: unknown; message?: unknown; cause?: unknown };
  const byCode = primaryName(err.code);
  if (byCode) return byCode;
  if (typeof err.rawCode === 'number') {
    const byRaw = PRIMARY[err.rawCode & 0xff];
    if (byRaw) return byRaw;
  }
  const byExtended = primaryName(err.extendedCode);
  if (byExtended) return byExtended;
  const message = typeof err.message === 'string' ? err.message : '';
  // The driver's open failure carries only SQLite's number: `…/paddock.db: 14")`.
  const opened = /ConnectionFailed\(.*:\s*(\d+)"?\)\s*$/.exec(message);
  if (opened) return PRIMARY[Number(opened[1]) & 0xff] ?? 'other';
  for (const [re, kind] of BY_MESSAGE) if (re.test(message)) return kind;
  if (err.cause && err.cause !== e) return classifySqliteError(err.cause);
  return 'other';
}

/**
 * The database (or a table in it) is locked by another connection or process: waiting and
 * trying again is the right answer. Includes "cannot commit - SQL statements in progress"
 * (SQLITE_BUSY too), the state a connection is left in after a busy BEGIN (recycling-client.ts).
 */
export function isBusyError(e: unknown): boolean {
  return classifySqliteError(e) === 'busy';
}

export type DatabaseErrorCode = 'READ_ONLY' | 'CANT_OPEN' | 'CORRUPT' | 'DISK_FULL';

/**
 * A database that cannot be used as it is, with a message meant for the person at the keyboard
 * (what is wrong, with which file, and what to do). `cause` keeps SQLite's own error.
 */
export class DatabaseError extends Error {
  readonly code: DatabaseErrorCode;
  readonly file: string;
  readonly detail: Record<string, unknown>;

  constructor(code: DatabaseErrorCode, file: string, message: string, opts: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DatabaseError';
    this.code = code;
    this.file = file;
    this.detail = opts.detail ?? {};
  }
}
