import { describe, expect, test } from 'vitest';
import { openClient } from '../connection.js';
import { migratorsFor, M1, M2, dump, expectProblem, mig, rows, seedParents, tempDb, withClient, type TempDb } from './testing.js';
import type { MigrationProgress } from './types.js';

let db: TempDb;
const migrator = migratorsFor(() => db);

describe('transactions and foreign keys', () => {
  test('a failing second statement leaves schema, data, history and file bytes unchanged', async () => {
    db = tempDb();
    await (await migrator([M1])).migrate();
    await seedParents(db);
    const before = await dump(db);
    const bad = mig(
      2,
      'half',
      `ALTER TABLE parent ADD COLUMN extra TEXT;
INSERT INTO no_such_table VALUES (1);
UPDATE parent SET extra = 'x';`,
      'ALTER TABLE parent DROP COLUMN extra;',
    );
    const m = await migrator([M1, bad], { backup: false });
    const events: MigrationProgress[] = [];
    const m2 = await migrator([M1, bad], { backup: false, events });
    await expectProblem(m2.migrate(), 'MIGRATION_FAILED');
    expect(events[events.length - 1]).toMatchObject({ type: 'migration:failed', migration: '0002_half.sql', code: 'MIGRATION_FAILED' });
    const err = await expectProblem(m.migrate(), 'MIGRATION_FAILED', '0002_half.sql');
    const p = err.problems[0]!;
    expect(p.message).toContain('statement 2 of 3');
    expect(p.message).toContain('line 3');
    expect(p.message).toContain('no such table: no_such_table');
    expect(p.detail).toMatchObject({ statement: 'INSERT INTO no_such_table VALUES (1)', statementIndex: 1 });
    expect(await dump(db)).toEqual(before);
    expect((await m.status()).current).toBe(1);
  });

  test("a 12-step rebuild of a parent table keeps its ON DELETE CASCADE children", async () => {
    db = tempDb();
    await (await migrator([M1])).migrate();
    await seedParents(db);
    const rebuild = mig(
      2,
      'rebuild_parent',
      `CREATE TABLE new_parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0), rank INTEGER NOT NULL DEFAULT 0) STRICT;
INSERT INTO new_parent (id, name) SELECT id, name FROM parent;
DROP TABLE parent;
ALTER TABLE new_parent RENAME TO parent;`,
      `CREATE TABLE new_parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;
INSERT INTO new_parent (id, name) SELECT id, name FROM parent;
DROP TABLE parent;
ALTER TABLE new_parent RENAME TO parent;`,
    );
    const m = await migrator([M1, rebuild]);
    const fp1 = await m.fingerprint();
    await m.migrate();
    expect(await rows(db, 'SELECT id, parent_id, note FROM child ORDER BY id')).toEqual([
      { id: 10, parent_id: 1, note: 'a' },
      { id: 11, parent_id: 1, note: 'b' },
      { id: 12, parent_id: 2, note: 'c' },
    ]);
    expect(await rows(db, 'SELECT id, name, rank FROM parent ORDER BY id')).toEqual([
      { id: 1, name: 'one', rank: 0 },
      { id: 2, name: 'two', rank: 0 },
    ]);
    // The child's FK still points at "parent" and still cascades.
    await withClient(db, (c) => c.execute('DELETE FROM parent WHERE id = 1'));
    expect(await rows(db, 'SELECT id FROM child ORDER BY id')).toEqual([{ id: 12 }]);
    await m.rollback();
    expect(await m.fingerprint()).toBe(fp1);
    expect(await rows(db, 'SELECT id FROM child ORDER BY id')).toEqual([{ id: 12 }]);
  });

  test('a dangling foreign key is rejected (FK_VIOLATION) and rolled back', async () => {
    db = tempDb();
    await (await migrator([M1])).migrate();
    await seedParents(db);
    const before = await dump(db);
    const dangling = mig(2, 'dangling', "INSERT INTO child (id, parent_id, note) VALUES (99, 42, 'orphan');", 'DELETE FROM child WHERE id = 99;');
    const m = await migrator([M1, dangling], { backup: false });
    const err = await expectProblem(m.migrate(), 'FK_VIOLATION', '0002_dangling.sql');
    expect(err.problems[0]!.message).toContain('child rowid 99 -> parent');
    expect(await dump(db)).toEqual(before);
  });

  test('foreign keys are off inside a migration and restored to their previous value after it', async () => {
    db = tempDb();
    const probe = mig(2, 'probe', 'CREATE TABLE fk_state AS SELECT foreign_keys AS v FROM pragma_foreign_keys;', 'DROP TABLE fk_state;');
    const failing = mig(3, 'failing', 'SELECT * FROM nowhere;', 'SELECT 1;');
    const m = await migrator([M1, probe, failing]);
    expect(await m.foreignKeysEnabled()).toBe(true); // libsql's default
    await m.migrate({ to: 2 });
    expect(await rows(db, 'SELECT v FROM fk_state')).toEqual([{ v: 0 }]);
    expect(await m.foreignKeysEnabled()).toBe(true);
    await expectProblem(m.migrate(), 'MIGRATION_FAILED', '0003_failing.sql');
    expect(await m.foreignKeysEnabled()).toBe(true);
  });

  test('a writer holding the lock past the busy timeout → LOCKED, nothing applied', async () => {
    db = tempDb();
    await (await migrator([M1])).migrate();
    const holder = await openClient(db.location, { concurrency: 1 });
    const tx = await holder.transaction('write');
    try {
      await tx.execute("INSERT INTO parent VALUES (1, 'held')");
      const m = await migrator([M1, M2], { busyTimeoutMs: 200 });
      await expectProblem(m.migrate(), 'LOCKED', '0002_things.sql');
    } finally {
      await tx.rollback();
      holder.close();
    }
    const m = await migrator([M1, M2]);
    expect((await m.status()).pending.map((p) => p.id)).toEqual([2]);
    expect((await m.migrate()).steps.map((s) => s.id)).toEqual([2]);
  });
});
