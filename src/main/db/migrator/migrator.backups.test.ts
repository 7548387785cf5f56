import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openClient } from '../connection.js';
import { listBackups } from './backup.js';
import { Migrator } from './migrator.js';
import { migratorsFor, M1, M2, dump, expectProblem, mig, seedParents, tempDb, type TempDb } from './testing.js';
import type { MigrationProgress } from './types.js';

let db: TempDb;
const migrator = migratorsFor(() => db);

describe('backups', () => {
  test('taken before migrating a database that holds data, next to it, newest 5 kept, each a valid snapshot', async () => {
    db = tempDb();
    const many = [M1, ...Array.from({ length: 7 }, (_, i) => mig(i + 2, `t${i + 2}`, `CREATE TABLE t${i + 2} (x INTEGER) STRICT;`, `DROP TABLE t${i + 2};`))];
    const events: MigrationProgress[] = [];
    const m = await migrator(many, { events });
    expect((await m.migrate({ limit: 1 })).backup).toBeNull(); // fresh database: nothing to protect
    await seedParents(db);
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await m.migrate({ limit: 1 });
      expect(r.backup).toBeTruthy();
      made.push(r.backup!);
    }
    expect(events.filter((e) => e.type === 'backup')).toHaveLength(7);
    const kept = listBackups(db.file);
    expect(kept).toEqual(made.slice(-5));
    expect(path.dirname(kept[0]!)).toBe(path.join(db.dir, 'backups'));
    // The newest backup is the database right before migration 8: t8 missing, data present.
    const snap = await openClient({ url: `file:${kept[4]}` });
    try {
      expect((await snap.execute("SELECT name FROM sqlite_schema WHERE name IN ('t7', 't8') ORDER BY name")).rows.map((r) => r.name)).toEqual(['t7']);
      expect((await snap.execute('SELECT count(*) AS n FROM child')).rows[0]!.n).toBe(3);
    } finally {
      snap.close();
    }
  });

  test('backup() on demand', async () => {
    db = tempDb();
    const m = await migrator([M1]);
    await m.migrate();
    const file = await m.backup();
    expect(fs.existsSync(file)).toBe(true);
    expect(listBackups(db.file)).toEqual([file]);
  });

  test('a non-transactional migration that fails part-way is restored from the snapshot taken before it', async () => {
    db = tempDb();
    await (await migrator([M1])).migrate();
    await seedParents(db);
    const before = await dump(db);
    const notx = {
      file: '0002_notx.sql',
      text: `-- migrate:up transaction:false
CREATE TABLE partial (x INTEGER) STRICT;
INSERT INTO partial VALUES (1);
DELETE FROM child WHERE id = 10;
INSERT INTO no_such_table VALUES (1);
-- migrate:down
DROP TABLE partial;
`,
    };
    const events: MigrationProgress[] = [];
    const m = await migrator([M1, notx], { events });
    await expectProblem(m.migrate(), 'MIGRATION_FAILED', '0002_notx.sql');
    expect(events.some((e) => e.type === 'restore')).toBe(true);
    const after = await dump(db);
    expect(after.schema).toEqual(before.schema);
    expect(after.tables).toEqual(before.tables);
    // The migrator keeps working on the restored file.
    expect((await m.status()).current).toBe(1);
  });

  test('a non-transactional VACUUM migration applies and is recorded', async () => {
    db = tempDb();
    const vac = { file: '0002_vacuum.sql', text: '-- migrate:up transaction:false\nVACUUM;\n-- migrate:down\n' };
    const m = await migrator([M1, vac]);
    await m.migrate();
    expect((await m.status()).current).toBe(2);
    await expectProblem(m.rollback(), 'IRREVERSIBLE', '0002_vacuum.sql');
  });

  test('an in-memory database migrates and says why there is no backup', async () => {
    const events: MigrationProgress[] = [];
    const m = await Migrator.open({ location: { url: ':memory:' }, migrations: [M1, M2], appVersion: '0.1.0', onProgress: (e) => events.push(e) });
    try {
      await m.migrate({ to: 1 });
      const r = await m.migrate();
      expect(r.backup).toBeNull();
      expect(r.notices[0]).toMatch(/No backup taken/);
      expect(events).toContainEqual({ type: 'notice', message: r.notices[0] });
      await expect(m.backup()).rejects.toThrow(/local database file/);
    } finally {
      m.close();
    }
  });
});
