// Opens Paddock's database for the app: validate and migrate to the latest schema on the
// migrator's own connection, then hand back a pooled client for repositories.

import type { Client } from '@libsql/client';
import { APP_VERSION } from '../appVersion.js';
import { BUNDLED_MIGRATIONS } from './bundledMigrations.generated.js';
import { localPathOf, openClient, type DatabaseLocation } from './connection.js';
import { explainDatabaseError, preflight } from './health.js';
import {
  Migrator,
  MigrationError,
  backupDirFor,
  cleanBackupLeftovers,
  type MigrationProgress,
  type MigrationSource,
  type MigrationStatus,
  type MigratorOptions,
} from './migrator/index.js';

export interface OpenDatabaseOptions {
  location: DatabaseLocation;
  appVersion?: string;
  /** Defaults to the migrations bundled into the build. */
  migrations?: readonly MigrationSource[];
  /** false: only validate and report status (nothing is written). Default true. */
  migrate?: boolean;
  onProgress?: (e: MigrationProgress) => void;
  /** Backup settings for the migrator (default: `backups/` beside the database, keep 5). */
  backup?: MigratorOptions['backup'];
  /** How long the start-up migrator waits for another process's write lock (default 15 s; tests shorten it). */
  busyTimeoutMs?: number;
}

export interface OpenDatabase {
  client: Client;
  location: DatabaseLocation;
  /** Status after migrating; `drift` and warnings are reported here, not thrown. */
  status: MigrationStatus;
  /**
   * Things the person should be told (also sent as `notice` progress events): e.g. an empty
   * paddock.db was started afresh, or a remote database got no backup.
   */
  notices: string[];
  close(): Promise<void>;
}

/**
 * Throws MigrationError (code + problems) when the history does not match the files
 * (CHECKSUM_MISMATCH, MISSING_MIGRATION, OUT_OF_ORDER, DB_NEWER_THAN_APP...) or a migration fails.
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<OpenDatabase> {
  const local = localPathOf(opts.location.url);
  const notices: string[] = [];
  try {
    if (local) {
      // Read-only folder, truncated file: clear words before SQLite's error codes.
      for (const message of preflight(local)) {
        notices.push(message);
        opts.onProgress?.({ type: 'notice', message });
      }
      // What killed backups left behind (a dead process's temp files; never a finished backup).
      cleanBackupLeftovers(local, (opts.backup || undefined)?.dir ?? backupDirFor(local));
    }
    const status = await migrateOrCheck(opts, notices);
    const client = await openClient(opts.location, { recycleOnBusy: true });
    return {
      client,
      location: opts.location,
      status,
      notices,
      close: async () => {
        try {
          if (local) await checkpointTruncate(client);
        } finally {
          client.close();
        }
      },
    };
  } catch (e) {
    throw local ? explainDatabaseError(e, local) : e;
  }
}

async function migrateOrCheck(opts: OpenDatabaseOptions, notices: string[]): Promise<MigrationStatus> {
  const migrator = await Migrator.open({
    location: opts.location,
    migrations: opts.migrations ?? BUNDLED_MIGRATIONS,
    appVersion: opts.appVersion ?? APP_VERSION,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.backup !== undefined ? { backup: opts.backup } : {}),
    ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}),
  });
  try {
    if (opts.migrate === false) return await migrator.status();
    const result = await migrator.migrate();
    notices.push(...result.notices);
    const errors = result.status.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new MigrationError(errors);
    return result.status;
  } finally {
    // The migrator's connection is closed before the app's pool opens: no transaction state leaks.
    migrator.close();
  }
}

/**
 * Moves every committed page from the WAL into paddock.db and truncates the WAL to zero bytes, so
 * after a clean stop the .db file alone holds the data (a user who copies just that file, or a
 * backup tool that skips -wal, gets everything). @libsql/client closes its connections lazily, so
 * SQLite's own checkpoint-on-last-close cannot be relied on. Runs last: core.close() stops the
 * plugins and flushes and closes the log writer before closing the database.
 * A reader in another process can keep the checkpoint from finishing (busy = 1); the data is
 * still safe in the WAL then, so that is not an error.
 */
async function checkpointTruncate(client: Client): Promise<void> {
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
}
