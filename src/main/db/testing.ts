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

export interface WriteLockHolder {
  /** Commits what the holder wrote and lets go; resolves once it has. */
  release(): Promise<void>;
  /** Kills the holder (a test's clean-up); a no-op once it has exited. */
  kill(): void;
}

/**
 * Another program holding a database's write lock: a child process that begins an IMMEDIATE
 * transaction, runs `sql` (default: creates a table), and commits and exits when released. For
 * tests of what Paddock does while someone else holds its database.
 */
export async function holdWriteLock(dbPath: string, sql: { sql: string; args?: unknown[] } = { sql: 'CREATE TABLE IF NOT EXISTS other_program (x)' }): Promise<WriteLockHolder> {
  const { spawn } = await import('node:child_process');
  const { createRequire } = await import('node:module');
  const driver = createRequire(import.meta.url).resolve('libsql');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require(${JSON.stringify(driver)});
       const db = new Database(${JSON.stringify(dbPath)});
       db.exec('BEGIN IMMEDIATE');
       db.prepare(${JSON.stringify(sql.sql)}).run(${JSON.stringify(sql.args ?? [])});
       process.stdout.write('locked\\n');
       process.stdin.once('data', () => { db.exec('COMMIT'); process.stdout.write('released\\n'); process.exit(0); });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let seen = '';
  const waiters: Array<{ word: string; resolve: () => void; reject: (e: Error) => void }> = [];
  child.stdout!.on('data', (d: Buffer) => {
    seen += d.toString();
    for (const w of waiters.splice(0)) {
      if (seen.includes(w.word)) w.resolve();
      else waiters.push(w);
    }
  });
  child.once('exit', (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`the lock holder exited (${code}) before saying '${w.word}'`));
  });
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      if (seen.includes(word)) resolve();
      else waiters.push({ word, resolve, reject });
    });
  await said('locked');
  return {
    release: async () => {
      const released = said('released');
      child.stdin!.write('go\n');
      await released;
    },
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
