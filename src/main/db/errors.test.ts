// One table of SQLite codes answers both questions asked of a failure: its class and whether a
// log write that failed with it is retried. The errors libsql really throws are classified in
// health.test.ts; here every code the table knows, and the edges around it.

import { describe, expect, it } from 'vitest';
import { classifySqliteError, isTransientWriteError } from './errors.js';

const err = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? 'x')), fields);

describe('SQLite error classes and transient writes from one table', () => {
  it('gives each code its class and its retry answer, extended codes as their primary', () => {
    const cases: [code: string, kind: string, transient: boolean][] = [
      ['SQLITE_BUSY', 'busy', true],
      ['SQLITE_BUSY_SNAPSHOT', 'busy', true],
      ['SQLITE_LOCKED', 'busy', true],
      ['SQLITE_NOMEM', 'other', true],
      ['SQLITE_READONLY', 'readonly', false],
      ['SQLITE_INTERRUPT', 'other', true],
      ['SQLITE_IOERR', 'other', true],
      ['SQLITE_IOERR_SHORT_READ', 'other', true],
      ['SQLITE_CORRUPT', 'corrupt', false],
      ['SQLITE_FULL', 'full', true],
      ['SQLITE_CANTOPEN', 'cantopen', true],
      ['SQLITE_PROTOCOL', 'other', true],
      ['SQLITE_CONSTRAINT', 'constraint', false],
      ['SQLITE_CONSTRAINT_UNIQUE', 'constraint', false],
      ['SQLITE_NOTADB', 'corrupt', false],
      ['SQLITE_ERROR', 'other', false],
      ['SQLITE_MISMATCH', 'other', false],
    ];
    for (const [code, kind, transient] of cases) {
      expect([code, classifySqliteError(err({ code }))]).toEqual([code, kind]);
      expect([code, isTransientWriteError(err({ code }))]).toEqual([code, transient]);
    }
  });

  it('falls back to the raw code, then the message, for a code with no class of its own', () => {
    expect(classifySqliteError(err({ code: 'SQLITE_IOERR', rawCode: 13 }))).toBe('full');
    expect(classifySqliteError(err({ code: 'SQLITE_ERROR', rawCode: 2067 }))).toBe('constraint');
    expect(classifySqliteError(err({ code: 'SQLITE_ERROR', message: 'database is locked' }))).toBe('busy');
  });

  it('retries anything that is not SQLite’s (a worker connection that went away); fs codes are classes, not SQLite codes', () => {
    expect(isTransientWriteError(new Error('worker exited'))).toBe(true);
    expect(isTransientWriteError(null)).toBe(true);
    expect(isTransientWriteError(err({ code: 'ENOSPC' }))).toBe(true);
    expect(classifySqliteError(err({ code: 'ENOSPC' }))).toBe('full');
    expect(classifySqliteError(err({ code: 'EPERM' }))).toBe('readonly');
  });
});
