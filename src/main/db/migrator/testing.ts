// Helpers for the migrator's own tests: temp databases, fixture migration folders, and a
// byte-level dump used to prove a failed migration left the database exactly as it was.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@libsql/client';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { bundleForNode } from '../../../../scripts/bundle-node.mjs';
import { locationFromPath, openClient, type DatabaseLocation } from '../connection.js';
import { Migrator, type MigratorOptions } from './migrator.js';
import { MigrationError, type MigrationProgress, type MigrationSource } from './types.js';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../..');

// Inside the repo so a bundle's bare imports (@libsql/client) resolve from node_modules.
/**
 * A child-process entry (a .ts file) bundled for Node before the test file's tests and deleted
 * after them; returns where the bundle will be. The folder is per process, so parallel test
 * files never share one.
 */
export function bundledChild(entry: string, label: string): string {
  const outDir = path.join(repoRoot, 'node_modules', '.cache', `paddock-${label}-test-${process.pid}`);
  const child = path.join(outDir, path.basename(entry).replace(/\.ts$/, '.mjs'));
  beforeAll(() => bundleForNode(entry, child, { logLevel: 'error' }));
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));
  return child;
}

export interface TempDb {
  dir: string;
  file: string;
  location: DatabaseLocation;
  cleanup(): void;
}

export function tempDb(prefix = 'paddock-mig-'): TempDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'paddock.db');
  return { dir, file, location: locationFromPath(file), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `mig(1, 'init', 'CREATE TABLE a(x)', 'DROP TABLE a')` → a MigrationSource. */
export function mig(id: number, slug: string, up: string, down = ''): MigrationSource {
  return { file: `${String(id).padStart(4, '0')}_${slug}.sql`, text: `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n` };
}

export function writeMigrationsDir(dir: string, sources: readonly MigrationSource[]): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const s of sources) fs.writeFileSync(path.join(dir, s.file), s.text);
  return dir;
}

export async function openMigrator(
  db: TempDb,
  migrations: readonly MigrationSource[],
  extra: Partial<MigratorOptions> & { events?: MigrationProgress[] } = {},
): Promise<Migrator> {
  const { events, ...rest } = extra;
  return Migrator.open({
    location: db.location,
    migrations,
    appVersion: '0.1.0',
    ...(events ? { onProgress: (e) => events.push(e) } : {}),
    ...rest,
  });
}

/**
 * A test file's migrator factory: each migrator it opens on the file's current database
 * (`currentDb()`) is closed after the test, and that database is removed.
 */
export function migratorsFor(currentDb: () => TempDb | undefined) {
  let open: Migrator[] = [];
  afterEach(() => {
    for (const m of open) m.close();
    open = [];
    currentDb()?.cleanup();
  });
  return async function migrator(migrations: readonly MigrationSource[], extra: Parameters<typeof openMigrator>[2] = {}): Promise<Migrator> {
    const db = currentDb();
    if (!db) throw new Error('assign the test database before opening a migrator');
    const m = await openMigrator(db, migrations, extra);
    open.push(m);
    return m;
  };
}

export async function withClient<T>(db: TempDb, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await openClient(db.location, { concurrency: 1 });
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

/**
 * Everything observable about a database: every sqlite_schema row, every row of every table
 * (rowid order), and the sha256 of the main file after a full checkpoint.
 */
export async function dump(db: TempDb): Promise<{ schema: unknown[]; tables: Record<string, unknown[]>; fileSha: string }> {
  return withClient(db, async (c) => {
    await c.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    const schema = (await c.execute('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name')).rows.map((r) => ({ ...r }));
    const tables: Record<string, unknown[]> = {};
    for (const r of schema as unknown as Array<{ type: string; name: string; sql: string | null }>) {
      if (r.type !== 'table' || /^CREATE VIRTUAL/i.test(r.sql ?? '')) continue;
      const withoutRowid = /WITHOUT\s+ROWID/i.test(r.sql ?? '');
      const rows = await c.execute(`SELECT * FROM "${r.name.replace(/"/g, '""')}"${withoutRowid ? '' : ' ORDER BY rowid'}`);
      tables[r.name] = rows.rows.map((x) => ({ ...x }));
    }
    const fileSha = createHash('sha256').update(fs.readFileSync(db.file)).digest('hex');
    return { schema, tables, fileSha };
  });
}

export async function rows(db: TempDb, sql: string, args: Array<string | number | null> = []): Promise<Array<Record<string, unknown>>> {
  return withClient(db, async (c) => (await c.execute({ sql, args })).rows.map((r) => ({ ...r })));
}

// Fixture migrations and assertions shared by migrator.test.ts and its migrator.*.test.ts siblings.

export const M1 = mig(
  1,
  'parents',
  `CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE, note TEXT) STRICT;
CREATE INDEX child_parent_id ON child(parent_id);`,
  `DROP TABLE child;
DROP TABLE parent;`,
);
export const M2 = mig(2, 'things', 'CREATE TABLE thing (id INTEGER PRIMARY KEY, v TEXT) STRICT;', 'DROP TABLE thing;');
export const M3 = mig(3, 'thing_idx', 'CREATE INDEX thing_v ON thing(v);', 'DROP INDEX thing_v;');

export async function expectProblem(p: Promise<unknown>, code: string, migration?: string | null): Promise<MigrationError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MigrationError);
    const err = e as MigrationError;
    expect(err.problems.map((x) => x.code)).toContain(code);
    if (migration !== undefined) expect(err.problems.find((x) => x.code === code)!.migration).toBe(migration);
    return err;
  }
  throw new Error(`expected MigrationError ${code}`);
}

export async function seedParents(db: TempDb): Promise<void> {
  await withClient(db, async (c) => {
    await c.batch(
      [
        "INSERT INTO parent (id, name) VALUES (1, 'one'), (2, 'two')",
        "INSERT INTO child (id, parent_id, note) VALUES (10, 1, 'a'), (11, 1, 'b'), (12, 2, 'c')",
      ],
      'write',
    );
  });
}
