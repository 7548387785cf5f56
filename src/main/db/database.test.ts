import fs from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { APP_VERSION } from '../appVersion.js';
import { BUNDLED_MIGRATIONS } from './bundledMigrations.generated.js';
import { openDatabase } from './database.js';
import { mig, tempDb, type TempDb } from './migrator/testing.js';
import { MigrationError, type MigrationProgress } from './migrator/types.js';
import { createTestDatabase } from './testing.js';

let db: TempDb;
afterEach(() => db?.cleanup());

const A = mig(1, 'a', 'CREATE TABLE a (x INTEGER) STRICT;', 'DROP TABLE a;');
const B = mig(2, 'b', 'CREATE TABLE b (x INTEGER) STRICT;', 'DROP TABLE b;');

describe('openDatabase', () => {
  test('migrates a fresh file to the bundled latest and returns a pooled client in WAL mode', async () => {
    db = tempDb();
    const events: MigrationProgress[] = [];
    const open = await openDatabase({ location: db.location, onProgress: (e) => events.push(e) });
    try {
      expect(open.status.ok).toBe(true);
      expect(open.status.pending).toEqual([]);
      expect(open.status.applied.map((a) => a.name)).toEqual(BUNDLED_MIGRATIONS.map((m) => m.file));
      expect(open.status.applied.every((a) => a.appVersion === APP_VERSION)).toBe(true);
      expect(events.filter((e) => e.type === 'migration:done')).toHaveLength(BUNDLED_MIGRATIONS.length);
      expect((await open.client.execute('PRAGMA journal_mode')).rows[0]![0]).toBe('wal');
      expect((await open.client.execute('PRAGMA foreign_keys')).rows[0]![0]).toBe(1);
    } finally {
      await open.close();
    }
  });

  test('throws a typed MigrationError with code and problems, and writes nothing, on a tampered history', async () => {
    db = tempDb();
    await (await openDatabase({ location: db.location, migrations: [A] })).close();
    const before = fs.readFileSync(db.file);
    const tampered = { ...A, text: A.text.replace('x INTEGER', 'y INTEGER') };
    const err = await openDatabase({ location: db.location, migrations: [tampered, B] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).code).toBe('CHECKSUM_MISMATCH');
    expect((err as MigrationError).problems[0]).toMatchObject({ code: 'CHECKSUM_MISMATCH', migration: '0001_a.sql' });
    expect(fs.readFileSync(db.file).equals(before)).toBe(true);
  });

  test('DB_NEWER_THAN_APP names the app version that wrote the database', async () => {
    db = tempDb();
    await (await openDatabase({ location: db.location, migrations: [A, B], appVersion: '3.0.0' })).close();
    const err = (await openDatabase({ location: db.location, migrations: [A], appVersion: '1.0.0' }).catch((e: unknown) => e)) as MigrationError;
    expect(err.code).toBe('DB_NEWER_THAN_APP');
    expect(err.message).toContain('3.0.0');
  });

  test('migrate: false only reports status', async () => {
    db = tempDb();
    const open = await openDatabase({ location: db.location, migrations: [A], migrate: false });
    try {
      expect(open.status.pending).toEqual([{ id: 1, name: '0001_a.sql' }]);
      expect((await open.client.execute("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'a'")).rows[0]!.n).toBe(0);
    } finally {
      await open.close();
    }
  });
});

describe('createTestDatabase', () => {
  test('gives a migrated temp database and removes it on cleanup', async () => {
    const t = await createTestDatabase();
    expect(t.status.ok).toBe(true);
    expect(t.url.startsWith('file:')).toBe(true);
    expect(fs.existsSync(t.path)).toBe(true);
    const n = await t.client.execute('SELECT count(*) AS n FROM schema_migrations');
    expect(n.rows[0]!.n).toBe(BUNDLED_MIGRATIONS.length);
    await t.cleanup();
    expect(fs.existsSync(t.path)).toBe(false);
  });

  test('can stop at a migration and go on later (seed at N-1, migrate to N)', async () => {
    const t = await createTestDatabase({ migrations: [A, B], to: 1 });
    try {
      expect(t.status.current).toBe(1);
      await t.client.execute('INSERT INTO a (x) VALUES (42)');
      const s = await t.migrateTo(2);
      expect(s.current).toBe(2);
      expect((await t.client.execute('SELECT x FROM a')).rows[0]!.x).toBe(42);
      expect((await t.client.execute("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'b'")).rows[0]!.n).toBe(1);
    } finally {
      await t.cleanup();
    }
  });

  test('accepts its own migrations', async () => {
    const t = await createTestDatabase({ migrations: [A] });
    try {
      expect(t.status.applied.map((a) => a.name)).toEqual(['0001_a.sql']);
    } finally {
      await t.cleanup();
    }
  });
});
