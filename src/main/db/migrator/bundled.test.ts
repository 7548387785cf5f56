// The shipped migrations (migrations/*.sql, bundled into the build) obey the migrator's rules.
// Iterates BUNDLED_MIGRATIONS, so every file anyone adds is covered automatically.
import { afterEach, describe, expect, test } from 'vitest';
import { BUNDLED_MIGRATIONS } from '../bundledMigrations.generated.js';
import { loadMigrations } from './parse.js';
import { openMigrator, rows, tempDb, type TempDb } from './testing.js';

let db: TempDb;
afterEach(() => db?.cleanup());

const parsed = loadMigrations(BUNDLED_MIGRATIONS);

describe('bundled migrations', () => {
  test('there is at least one, and every file parses', () => {
    expect(parsed.length).toBeGreaterThan(0);
  });

  test('fresh → latest → re-run no-op → rollback all → latest gives identical fingerprints', async () => {
    db = tempDb();
    const m = await openMigrator(db, BUNDLED_MIGRATIONS);
    try {
      const empty = await m.fingerprint();
      const up = await m.migrate();
      expect(up.steps.map((s) => s.id)).toEqual(parsed.map((p) => p.id));
      const latest = await m.status();
      expect(latest).toMatchObject({ ok: true, pending: [], problems: [], drift: null, current: parsed[parsed.length - 1]!.id });
      expect((await m.migrate()).steps).toEqual([]);
      await m.rollback({ to: 0 });
      expect(await m.fingerprint()).toBe(empty);
      expect(await rows(db, "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'schema_migrations%'")).toEqual([]);
      await m.migrate();
      expect(await m.fingerprint()).toBe(latest.fingerprint);
      expect(await rows(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(await rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
    } finally {
      m.close();
    }
  });

  test.each(parsed.map((p) => [p.name, p.id] as const))('%s: up → down → up gives identical fingerprints', async (_name, id) => {
    db = tempDb();
    const m = await openMigrator(db, BUNDLED_MIGRATIONS);
    try {
      if (id > parsed[0]!.id) await m.migrate({ to: parsed[parsed.findIndex((p) => p.id === id) - 1]!.id });
      const before = await m.fingerprint();
      await m.migrate({ to: id });
      const after = await m.fingerprint();
      await m.rollback({ steps: 1 });
      expect(await m.fingerprint()).toBe(before);
      expect((await m.status()).drift).toBeNull();
      await m.migrate({ to: id });
      expect(await m.fingerprint()).toBe(after);
      expect((await m.status()).drift).toBeNull();
    } finally {
      m.close();
    }
  });
});
