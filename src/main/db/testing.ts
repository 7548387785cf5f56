// Test helper: a real libsql file database in a temp folder, migrated to the latest schema (or to
// a given migration, for "seed at N-1, migrate to N" fixture tests). Not for production code.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@libsql/client';
import { APP_VERSION } from '../appVersion.js';
import { BUNDLED_MIGRATIONS } from './bundledMigrations.generated.js';
import { locationFromPath, openClient } from './connection.js';
import { Migrator, type MigrationSource, type MigrationStatus } from './migrator/index.js';

export interface TestDatabase {
  client: Client;
  url: string;
  path: string;
  status: MigrationStatus;
  /** Applies pending migrations up to `to` (default: all) on the migrator's own connection. */
  migrateTo(to?: number): Promise<MigrationStatus>;
  cleanup(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Defaults to the bundled migrations. */
  migrations?: readonly MigrationSource[];
  /** Stop after this migration id (default: latest). */
  to?: number;
  appVersion?: string;
}

export async function createTestDatabase(opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-test-'));
  const file = path.join(dir, 'paddock.db');
  const location = locationFromPath(file);
  const migrateTo = async (to?: number): Promise<MigrationStatus> => {
    const m = await Migrator.open({
      location,
      migrations: opts.migrations ?? BUNDLED_MIGRATIONS,
      appVersion: opts.appVersion ?? APP_VERSION,
      backup: false,
    });
    try {
      return (await m.migrate(to === undefined ? {} : { to })).status;
    } finally {
      m.close();
    }
  };
  let status: MigrationStatus;
  try {
    status = await migrateTo(opts.to);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  // The same kind of client as the app's (src/main/db/database.ts).
  const client = await openClient(location, { recycleOnBusy: true });
  return {
    client,
    url: location.url,
    path: file,
    status,
    migrateTo,
    cleanup: async () => {
      client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
