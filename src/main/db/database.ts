// Opens Paddock's database for the app: validate and migrate to the latest schema on the
// migrator's own connection, then hand back a pooled client for repositories.

import type { Client } from '@libsql/client';
import { APP_VERSION } from '../appVersion.js';
import { BUNDLED_MIGRATIONS } from './bundledMigrations.generated.js';
import { localPathOf, openClient, type DatabaseLocation } from './connection.js';
import { Migrator, MigrationError, type MigrationProgress, type MigrationSource, type MigrationStatus, type MigratorOptions } from './migrator/index.js';

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
}

export interface OpenDatabase {
  client: Client;
  location: DatabaseLocation;
  /** Status after migrating; `drift` and warnings are reported here, not thrown. */
  status: MigrationStatus;
  close(): Promise<void>;
}

/**
 * Throws MigrationError (code + problems) when the history does not match the files
 * (CHECKSUM_MISMATCH, MISSING_MIGRATION, OUT_OF_ORDER, DB_NEWER_THAN_APP...) or a migration fails.
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<OpenDatabase> {
  const migrator = await Migrator.open({
    location: opts.location,
    migrations: opts.migrations ?? BUNDLED_MIGRATIONS,
    appVersion: opts.appVersion ?? APP_VERSION,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.backup !== undefined ? { backup: opts.backup } : {}),
  });
  let status: MigrationStatus;
  try {
    if (opts.migrate === false) {
      status = await migrator.status();
    } else {
      status = (await migrator.migrate()).status;
      const errors = status.problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) throw new MigrationError(errors);
    }
  } finally {
    // The migrator's connection is closed before the app's pool opens: no transaction state leaks.
    migrator.close();
  }
  const client = await openClient(opts.location);
  return {
    client,
    location: opts.location,
    status,
    close: async () => {
      try {
        if (localPathOf(opts.location.url)) await checkpointTruncate(client);
      } finally {
        client.close();
      }
    },
  };
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
