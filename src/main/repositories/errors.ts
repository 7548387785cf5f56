// Errors of the repositories: the data layer's one DataError (src/main/db/errors.ts), built by
// these helpers so every repository words NOT_FOUND and constraint failures alike. Services and
// the IPC layer map `code` to their own envelopes; callers never parse SQLite messages.

import { DataError, classifySqliteError, type DataErrorCode } from '../db/errors.js';

export { DataError, type DataErrorCode } from '../db/errors.js';

export function notFound(what: string, id: string): DataError {
  return new DataError('NOT_FOUND', `${what} ${id} not found`, { id });
}

export function isDataError(e: unknown, code?: DataErrorCode): e is DataError {
  return e instanceof DataError && (code === undefined || e.kind === code);
}

interface SqliteErrorLike {
  code?: string;
  extendedCode?: string;
  message?: string;
}

/** The constraint SQLite reported, or null when the error is not a constraint failure. */
export function constraintKind(e: unknown): 'check' | 'unique' | 'foreignkey' | 'trigger' | 'notnull' | 'other' | null {
  if (classifySqliteError(e) !== 'constraint') return null;
  const err = e as SqliteErrorLike;
  const ext = err.extendedCode ?? '';
  const msg = err.message ?? '';
  if (ext === 'SQLITE_CONSTRAINT_CHECK' || /CHECK constraint failed/.test(msg)) return 'check';
  if (ext === 'SQLITE_CONSTRAINT_UNIQUE' || ext === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(msg)) return 'unique';
  if (ext === 'SQLITE_CONSTRAINT_FOREIGNKEY' || /FOREIGN KEY constraint failed/.test(msg)) return 'foreignkey';
  if (ext === 'SQLITE_CONSTRAINT_NOTNULL' || /NOT NULL constraint failed/.test(msg)) return 'notnull';
  if (ext === 'SQLITE_CONSTRAINT_TRIGGER') return 'trigger';
  return 'other';
}

/**
 * Turns a constraint failure into a DataError: CHECK / NOT NULL -> VALIDATION (bad data got
 * past the boundary's schema; the SQL CHECKs are the last line), everything else (unique,
 * foreign key, trigger guards) -> CONFLICT. Other errors (I/O, busy) are rethrown unchanged:
 * they are not the caller's fault, and the IPC layer classifies them itself.
 */
export function mapSqliteError(e: unknown, context: string): never {
  const kind = constraintKind(e);
  if (kind === null) throw e;
  const sqliteMessage = (e as SqliteErrorLike).message ?? String(e);
  const code = kind === 'check' || kind === 'notnull' ? 'VALIDATION' : 'CONFLICT';
  throw new DataError(code, `${context}: ${sqliteMessage.replace(/^SQLITE_CONSTRAINT[A-Z_]*:\s*/, '')}`, { constraint: kind }, { cause: e });
}
