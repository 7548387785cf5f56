// The per-connection set-up every Paddock connection shares, whichever driver runs it: the
// pooled @libsql/client connections (connection.ts) and the log writer's own `libsql` driver
// connection on its worker thread (src/main/logs/writer-worker.ts). Busy timeouts are passed to
// each driver when it opens, so every connection has one before the first statement below.

import { isBusyError } from './errors';

/** Runs `PRAGMA <text>` on the connection; resolves to the first column of the first row, if any. */
export type RunPragma = (text: string) => unknown;

export interface ConnectionSettings {
  /** How long the WAL switch keeps retrying a busy answer (the connection's busy timeout). */
  busyTimeoutMs: number;
  /** The log writer's connection: NORMAL (see LogWriter.open for why). Default: the driver's (FULL). */
  synchronous?: 'NORMAL';
  /** Turn foreign keys on (@libsql/client already does it for its own connections). */
  foreignKeys?: boolean;
}

export async function setUpConnection(pragma: RunPragma, settings: ConnectionSettings): Promise<void> {
  await ensureWal(pragma, settings.busyTimeoutMs);
  if (settings.synchronous) await pragma(`synchronous = ${settings.synchronous}`);
  if (settings.foreignKeys) await pragma('foreign_keys = ON');
}

/**
 * WAL lets the UI read while a session streams into the log; it persists in the file. Switching
 * a fresh file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once (without
 * its busy handler) when two processes open a new database together — seen in the two-process
 * migration test. Skip the switch when the file is already WAL, else retry with backoff until
 * the busy timeout.
 */
async function ensureWal(pragma: RunPragma, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      if (String((await pragma('journal_mode')) ?? '').toLowerCase() === 'wal') return;
      await pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if (!isBusyError(e) || Date.now() >= deadline) throw e;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
