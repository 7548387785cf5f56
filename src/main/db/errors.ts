// What kind of failure a database error is, from the shapes @libsql/client 0.18 really produces
// (see errors.test.ts): a LibsqlError with `code` (primary, e.g. SQLITE_READONLY), `extendedCode`
// (sometimes "UNKNOWN_SQLITE_ERROR_1544") and `rawCode` (extended number), or — when the file
// cannot even be opened — a plain Error whose only clue is the message
// `ConnectionFailed("Unable to open connection to local database …: 14")`. Node's own fs errors
// (EACCES, EROFS, ENOSPC…) are classified too, so callers need one check for both.

export type SqliteErrorClass = 'busy' | 'constraint' | 'full' | 'corrupt' | 'readonly' | 'cantopen' | 'other';

/**
 * SQLite's primary result codes Paddock tells apart, once for both questions asked of an error:
 * what kind of failure it is (classifySqliteError; 'other' = no class of its own, keep looking)
 * and whether a log write that failed with it is worth retrying (isTransientWriteError).
 */
const SQLITE_CODES: Record<string, { primary: number; kind: SqliteErrorClass; transient: boolean }> = {
  SQLITE_BUSY: { primary: 5, kind: 'busy', transient: true },
  SQLITE_LOCKED: { primary: 6, kind: 'busy', transient: true },
  SQLITE_NOMEM: { primary: 7, kind: 'other', transient: true },
  SQLITE_READONLY: { primary: 8, kind: 'readonly', transient: false },
  SQLITE_INTERRUPT: { primary: 9, kind: 'other', transient: true },
  SQLITE_IOERR: { primary: 10, kind: 'other', transient: true },
  SQLITE_CORRUPT: { primary: 11, kind: 'corrupt', transient: false },
  SQLITE_FULL: { primary: 13, kind: 'full', transient: true },
  SQLITE_CANTOPEN: { primary: 14, kind: 'cantopen', transient: true },
  SQLITE_PROTOCOL: { primary: 15, kind: 'other', transient: true },
  SQLITE_CONSTRAINT: { primary: 19, kind: 'constraint', transient: false },
  SQLITE_NOTADB: { primary: 26, kind: 'corrupt', transient: false },
};

/** SQLite primary result codes (the low byte of an extended code) → class. */
const PRIMARY: Record<number, SqliteErrorClass> = Object.fromEntries(
  Object.values(SQLITE_CODES).filter((c) => c.kind !== 'other').map((c) => [c.primary, c.kind]),
);

/** Node fs errors met on the same paths (creating the folder, checking access). */
const FS_CODES: Record<string, SqliteErrorClass> = {
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

/** The SQLITE_CODES entry of a code name: SQLITE_CONSTRAINT_UNIQUE → SQLITE_CONSTRAINT's. */
function sqliteCode(code: string): (typeof SQLITE_CODES)[string] | undefined {
  const m = /^(SQLITE_[A-Z]+?)(?:_[A-Z_]+)?$/.exec(code);
  return SQLITE_CODES[code] ?? (m ? SQLITE_CODES[m[1]!] : undefined);
}

function primaryName(code: unknown): SqliteErrorClass | undefined {
  if (typeof code !== 'string' || code === '') return undefined;
  const kind = FS_CODES[code] ?? sqliteCode(code)?.kind;
  return kind === 'other' ? undefined : kind;
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

/**
 * A failed log write worth retrying with backoff: the database is busy, locked, full or had an
 * I/O problem, or the error is not SQLite's at all (a worker connection that went away).
 */
export function isTransientWriteError(e: unknown): boolean {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  return !code.startsWith('SQLITE_') || sqliteCode(code)?.transient === true;
}

/**
 * The stable codes of the data layer (repositories, log store, migrator, database opening).
 * The IPC layer maps them to the contract's codes (src/main/ipc/errors.ts); nothing above the
 * data layer parses SQLite messages.
 */
export type DataErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VALIDATION'
  | 'BUSY'
  | 'FULL'
  | 'CORRUPT'
  | 'READ_ONLY'
  | 'CANT_OPEN'
  /** The store was closed or failed in a way the caller cannot fix (e.g. a log flush). */
  | 'UNAVAILABLE';

/**
 * The one error type of the data layer. `details` is structured data for the UI (the field that
 * failed, the current version…). Subclasses with finer codes of their own (LogsError,
 * DatabaseError) keep them in `code` and say which stable code they are in `kind`.
 */
export class DataError<C extends string = DataErrorCode> extends Error {
  readonly code: C;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: C, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DataError';
    this.code = code;
    this.details = details;
  }

  /** The stable data-layer code; the same as `code` unless a subclass refines it. */
  get kind(): DataErrorCode {
    return this.code as unknown as DataErrorCode;
  }
}

/** SQLite's failure class as a DataError code, or null for failures that are no data condition. */
const KIND_OF_CLASS: Partial<Record<SqliteErrorClass, DataErrorCode>> = {
  busy: 'BUSY',
  constraint: 'CONFLICT',
  full: 'FULL',
  corrupt: 'CORRUPT',
  readonly: 'READ_ONLY',
  cantopen: 'CANT_OPEN',
};

export function dataErrorCodeOf(e: unknown): DataErrorCode | null {
  if (e instanceof DataError) return e.kind;
  return KIND_OF_CLASS[classifySqliteError(e)] ?? null;
}

export type DatabaseErrorCode = 'READ_ONLY' | 'CANT_OPEN' | 'CORRUPT' | 'DISK_FULL';

/**
 * A database that cannot be used as it is, with a message meant for the person at the keyboard
 * (what is wrong, with which file, and what to do). `cause` keeps SQLite's own error.
 */
export class DatabaseError extends DataError<DatabaseErrorCode> {
  readonly file: string;

  constructor(code: DatabaseErrorCode, file: string, message: string, opts: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, opts.details ?? {}, { cause: opts.cause });
    this.name = 'DatabaseError';
    this.file = file;
  }

  override get kind(): DataErrorCode {
    return this.code === 'DISK_FULL' ? 'FULL' : this.code;
  }
}
