// The one error type repositories throw. Services and the IPC layer map `code` to their own
// envelopes; callers never parse SQLite messages themselves.

export type RepositoryErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION';

export class RepositoryError extends Error {
  readonly code: RepositoryErrorCode;
  /** Structured detail for the UI (e.g. the field that failed, the current version). */
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: RepositoryErrorCode, message: string, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RepositoryError';
    this.code = code;
    this.detail = detail;
  }
}

export function notFound(what: string, id: string): RepositoryError {
  return new RepositoryError('NOT_FOUND', `${what} ${id} not found`, { id });
}

export function isRepositoryError(e: unknown, code?: RepositoryErrorCode): e is RepositoryError {
  return e instanceof RepositoryError && (code === undefined || e.code === code);
}

interface SqliteErrorLike {
  code?: string;
  extendedCode?: string;
  message?: string;
}

/** The constraint SQLite reported, or null when the error is not a constraint failure. */
export function constraintKind(e: unknown): 'check' | 'unique' | 'foreignkey' | 'trigger' | 'notnull' | 'other' | null {
  const err = e as SqliteErrorLike | null;
  if (!err || typeof err !== 'object') return null;
  const code = err.code ?? '';
  const ext = err.extendedCode ?? '';
  const msg = err.message ?? '';
  if (!code.startsWith('SQLITE_CONSTRAINT') && !ext.startsWith('SQLITE_CONSTRAINT')) return null;
  if (ext === 'SQLITE_CONSTRAINT_CHECK' || /CHECK constraint failed/.test(msg)) return 'check';
  if (ext === 'SQLITE_CONSTRAINT_UNIQUE' || ext === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(msg)) return 'unique';
  if (ext === 'SQLITE_CONSTRAINT_FOREIGNKEY' || /FOREIGN KEY constraint failed/.test(msg)) return 'foreignkey';
  if (ext === 'SQLITE_CONSTRAINT_NOTNULL' || /NOT NULL constraint failed/.test(msg)) return 'notnull';
  if (ext === 'SQLITE_CONSTRAINT_TRIGGER') return 'trigger';
  return 'other';
}

/**
 * Turns a constraint failure into a RepositoryError: CHECK / NOT NULL -> VALIDATION (bad data
 * got past the input checks), everything else (unique, foreign key, trigger guards) -> CONFLICT.
 * Non-constraint errors (I/O, busy) are rethrown unchanged: they are not the caller's fault.
 */
export function mapSqliteError(e: unknown, context: string): never {
  const kind = constraintKind(e);
  if (kind === null) throw e;
  const sqliteMessage = (e as SqliteErrorLike).message ?? String(e);
  const code = kind === 'check' || kind === 'notnull' ? 'VALIDATION' : 'CONFLICT';
  throw new RepositoryError(code, `${context}: ${sqliteMessage.replace(/^SQLITE_CONSTRAINT[A-Z_]*:\s*/, '')}`, { constraint: kind }, { cause: e });
}
