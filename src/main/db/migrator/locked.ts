// LOCKED, with who holds the database: after waiting out the busy timeout, the message names the
// processes that have the database open (pid and command line), or "another process" when that
// cannot be found out (other systems, other users' processes).

import { describeLockHolders, findLockHolders } from '../lockHolders.js';
import { MigrationError, problem } from './types.js';

export function lockedError(dbPath: string | null, migration: string | null, waitedMs: number, cause: unknown): MigrationError {
  const holders = dbPath ? findLockHolders(dbPath) : [];
  const seconds = `${Number((waitedMs / 1000).toFixed(1))} s`;
  return new MigrationError([
    problem(
      'LOCKED',
      migration,
      `the database${dbPath ? ` ${dbPath}` : ''} is locked by ${describeLockHolders(holders)}, which kept its write lock for longer than ${seconds} ` +
        '(it may be migrating or writing to it); wait for it to finish or close it, then try again',
      { sqlite: cause instanceof Error ? cause.message : String(cause), holders, waitedMs, file: dbPath },
    ),
  ]);
}
