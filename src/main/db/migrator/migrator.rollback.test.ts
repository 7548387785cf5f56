import { describe, expect, test } from 'vitest';
import { migratorsFor, M1, M2, M3, dump, expectProblem, mig, rows, tempDb, type TempDb } from './testing.js';

let db: TempDb;
const migrator = migratorsFor(() => db);

describe('rollback', () => {
  test('latest → rollback all → latest gives an identical fingerprint; rollbacks are audited', async () => {
    db = tempDb();
    const m = await migrator([M1, M2, M3]);
    const empty = await m.fingerprint();
    await m.migrate();
    const latest = await m.fingerprint();
    const r = await m.rollback({ to: 0 });
    expect(r.steps.map((s) => s.id)).toEqual([3, 2, 1]);
    expect(await m.fingerprint()).toBe(empty);
    expect(await rows(db, "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'schema_migrations%'")).toEqual([]);
    expect((await m.status()).current).toBeNull();
    await m.migrate();
    expect(await m.fingerprint()).toBe(latest);
    expect((await m.audit()).map((a) => [a.action, a.migration_id])).toEqual([
      ['rollback', 3],
      ['rollback', 2],
      ['rollback', 1],
    ]);
  });

  test('steps (default 1), to, dryRun, and argument errors', async () => {
    db = tempDb();
    const m = await migrator([M1, M2, M3]);
    await m.migrate();
    expect((await m.rollback({ dryRun: true })).steps.map((s) => s.id)).toEqual([3]);
    expect((await m.status()).current).toBe(3);
    expect((await m.rollback()).steps.map((s) => s.id)).toEqual([3]);
    await expectProblem(m.rollback({ to: 3 }), 'NOT_APPLIED');
    await expectProblem(m.rollback({ to: 1, steps: 1 }), 'INVALID_ARGUMENT');
    expect((await m.rollback({ to: 1 })).steps.map((s) => s.id)).toEqual([2]);
    expect((await m.status()).current).toBe(1);
    expect((await m.rollback({ steps: 5 })).steps.map((s) => s.id)).toEqual([1]);
    expect((await m.rollback()).steps).toEqual([]);
  });

  test('an empty down section is IRREVERSIBLE and nothing is reverted', async () => {
    db = tempDb();
    const oneWay = mig(2, 'one_way', 'CREATE TABLE forever (x INTEGER) STRICT;');
    const m = await migrator([M1, oneWay, mig(3, 'more', 'CREATE TABLE more (x INTEGER) STRICT;', 'DROP TABLE more;')]);
    await m.migrate();
    await expectProblem(m.rollback({ to: 0 }), 'IRREVERSIBLE', '0002_one_way.sql');
    expect((await m.status()).current).toBe(3);
  });

  test('a failing down rolls back completely', async () => {
    db = tempDb();
    const badDown = mig(2, 'bad_down', 'CREATE TABLE thing (id INTEGER PRIMARY KEY) STRICT;', 'DROP TABLE thing;\nDROP TABLE not_there;');
    const m = await migrator([M1, badDown], { backup: false });
    await m.migrate();
    const before = await dump(db);
    await expectProblem(m.rollback(), 'MIGRATION_FAILED', '0002_bad_down.sql');
    expect(await dump(db)).toEqual(before);
  });
});
