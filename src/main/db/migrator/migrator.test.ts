import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openClient } from '../connection.js';
import { listBackups } from './backup.js';
import { Migrator } from './migrator.js';
import { dump, mig, openMigrator, rows, tempDb, withClient, type TempDb } from './testing.js';
import { MigrationError, type MigrationProgress, type MigrationSource } from './types.js';

const M1 = mig(
  1,
  'parents',
  `CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE, note TEXT) STRICT;
CREATE INDEX child_parent_id ON child(parent_id);`,
  `DROP TABLE child;
DROP TABLE parent;`,
);
const M2 = mig(2, 'things', 'CREATE TABLE thing (id INTEGER PRIMARY KEY, v TEXT) STRICT;', 'DROP TABLE thing;');
const M3 = mig(3, 'thing_idx', 'CREATE INDEX thing_v ON thing(v);', 'DROP INDEX thing_v;');

async function expectProblem(p: Promise<unknown>, code: string, migration?: string | null): Promise<MigrationError> {
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

async function seedParents(db: TempDb): Promise<void> {
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

let db: TempDb;
let open: Migrator[] = [];
afterEach(() => {
  for (const m of open) m.close();
  open = [];
  db?.cleanup();
});
async function migrator(migrations: readonly MigrationSource[], extra: Parameters<typeof openMigrator>[2] = {}): Promise<Migrator> {
  const m = await openMigrator(db, migrations, extra);
  open.push(m);
  return m;
}

describe('migrate', () => {
  test('fresh → latest writes one history row per migration, in the same run', async () => {
    db = tempDb();
    const m = await migrator([M1, M2, M3]);
    const r = await m.migrate();
    expect(r.steps.map((s) => s.name)).toEqual(['0001_parents.sql', '0002_things.sql', '0003_thing_idx.sql']);
    expect(r.backup).toBeNull(); // an empty database needs no backup
    const hist = await rows(db, 'SELECT id, name, checksum, applied_at, execution_ms, app_version, fingerprint FROM schema_migrations ORDER BY id');
    expect(hist.map((h) => h.id)).toEqual([1, 2, 3]);
    for (const h of hist) {
      expect(h.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(h.app_version).toBe('0.1.0');
      expect(new Date(String(h.applied_at)).toISOString()).toBe(h.applied_at);
      expect(typeof h.execution_ms).toBe('number');
    }
    expect(hist[2]!.fingerprint).toBe(await m.fingerprint());
    const s = await m.status();
    expect(s).toMatchObject({ current: 3, pending: [], problems: [], ok: true, drift: null });
  });

  test('re-running is a no-op: nothing runs, nothing changes', async () => {
    db = tempDb();
    const m = await migrator([M1, M2]);
    await m.migrate();
    await seedParents(db);
    const before = await dump(db);
    const events: MigrationProgress[] = [];
    const m2 = await migrator([M1, M2], { events });
    const r = await m2.migrate();
    expect(r.steps).toEqual([]);
    expect(r.backup).toBeNull();
    expect(events).toEqual([]);
    expect(await dump(db)).toEqual(before);
    expect(listBackups(db.file)).toEqual([]);
  });

  test('to / limit / dryRun', async () => {
    db = tempDb();
    const m = await migrator([M1, M2, M3]);
    const dry = await m.migrate({ dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.steps.map((s) => s.id)).toEqual([1, 2, 3]);
    expect((await m.status()).current).toBeNull();
    expect(await rows(db, "SELECT name FROM sqlite_schema WHERE name = 'schema_migrations'")).toEqual([]);

    expect((await m.migrate({ limit: 1 })).steps.map((s) => s.id)).toEqual([1]);
    expect((await m.migrate({ to: 2 })).steps.map((s) => s.id)).toEqual([2]);
    await expectProblem(m.migrate({ to: 1 }), 'INVALID_ARGUMENT');
    await expectProblem(m.migrate({ to: 99 }), 'INVALID_ARGUMENT');
    expect((await m.migrate()).steps.map((s) => s.id)).toEqual([3]);
  });

  test('plan returns the exact statements, up and down', async () => {
    db = tempDb();
    const m = await migrator([M1, M2]);
    const up = await m.plan();
    expect(up.map((s) => [s.name, s.statements.map((x) => x.sql)])).toEqual([
      [
        '0001_parents.sql',
        [
          'CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT',
          'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE, note TEXT) STRICT',
          'CREATE INDEX child_parent_id ON child(parent_id)',
        ],
      ],
      ['0002_things.sql', ['CREATE TABLE thing (id INTEGER PRIMARY KEY, v TEXT) STRICT']],
    ]);
    await m.migrate();
    const down = await m.plan({ direction: 'down', steps: 2 });
    expect(down.map((s) => [s.name, s.statements.map((x) => x.sql)])).toEqual([
      ['0002_things.sql', ['DROP TABLE thing']],
      ['0001_parents.sql', ['DROP TABLE child', 'DROP TABLE parent']],
    ]);
  });

  test('progress events per migration and per statement', async () => {
    db = tempDb();
    const events: MigrationProgress[] = [];
    const m = await migrator([M1, M2], { events });
    await m.migrate();
    expect(events.map((e) => `${e.type}:${'migration' in e ? e.migration : ''}`)).toEqual([
      'migration:start:0001_parents.sql',
      'statement:0001_parents.sql',
      'statement:0001_parents.sql',
      'statement:0001_parents.sql',
      'migration:done:0001_parents.sql',
      'migration:start:0002_things.sql',
      'statement:0002_things.sql',
      'migration:done:0002_things.sql',
    ]);
    expect(events[0]).toMatchObject({ index: 0, total: 2, statements: 3 });
    expect(events[2]).toMatchObject({ index: 1, total: 3, sql: M1.text.split('\n')[2]!.replace(/;$/, '') });
  });

  test('a multi-statement trigger body runs whole (the execute() first-statement trap)', async () => {
    db = tempDb();
    const m = await migrator([
      M1,
      mig(
        2,
        'trigger',
        `CREATE TABLE audit (n INTEGER) STRICT;
CREATE TRIGGER parent_ins AFTER INSERT ON parent BEGIN
  INSERT INTO audit VALUES (new.id);
  INSERT INTO audit VALUES (CASE WHEN new.id > 1 THEN new.id * 10 ELSE 0 END);
END;
CREATE TABLE after_trigger (x INTEGER) STRICT;`,
        'DROP TABLE after_trigger; DROP TRIGGER parent_ins; DROP TABLE audit;',
      ),
    ]);
    await m.migrate();
    await withClient(db, (c) => c.execute("INSERT INTO parent VALUES (2, 'x')"));
    expect(await rows(db, 'SELECT n FROM audit ORDER BY rowid')).toEqual([{ n: 2 }, { n: 20 }]);
    expect(await rows(db, "SELECT name FROM sqlite_schema WHERE name = 'after_trigger'")).toHaveLength(1);
  });
});

describe('validation before anything', () => {
  test('tampered checksum → CHECKSUM_MISMATCH naming the file; nothing written; repair accepts it and is audited', async () => {
    db = tempDb();
    await (await migrator([M1])).migrate();
    const tampered = { ...M1, text: M1.text.replace('name TEXT NOT NULL', 'name TEXT') };
    const m = await migrator([tampered, M2]);
    const s = await m.status();
    expect(s.ok).toBe(false);
    expect(s.problems).toMatchObject([{ code: 'CHECKSUM_MISMATCH', migration: '0001_parents.sql', severity: 'error' }]);
    expect(await m.validate()).toHaveLength(1);
    const before = await dump(db);
    await expectProblem(m.migrate(), 'CHECKSUM_MISMATCH', '0001_parents.sql');
    await expectProblem(m.plan(), 'CHECKSUM_MISMATCH');
    expect(await dump(db)).toEqual(before);

    const r = await m.repair({ acceptChecksumOf: 'migrations/0001_parents.sql' });
    expect(r.changed).toBe(true);
    expect(await m.validate()).toEqual([]);
    const audit = await m.audit();
    expect(audit).toMatchObject([{ action: 'repair_checksum', migration_id: 1, name: '0001_parents.sql', old_checksum: r.oldChecksum, new_checksum: r.newChecksum }]);
    expect((await m.repair({ acceptChecksumOf: '0001_parents.sql' })).changed).toBe(false);
    await expectProblem(m.repair({ acceptChecksumOf: '0002_things.sql' }), 'NOT_APPLIED');
    await expectProblem(m.repair({ acceptChecksumOf: '0009_nope.sql' }), 'INVALID_ARGUMENT');
    expect((await m.migrate()).steps.map((x) => x.id)).toEqual([2]);
  });

  test('deleted file → MISSING_MIGRATION naming it', async () => {
    db = tempDb();
    await (await migrator([M1, M2])).migrate();
    const m = await migrator([M2, M3]);
    expect((await m.status()).problems).toMatchObject([{ code: 'MISSING_MIGRATION', migration: '0001_parents.sql' }]);
    await expectProblem(m.migrate(), 'MISSING_MIGRATION', '0001_parents.sql');
    expect((await m.status()).current).toBe(2);
  });

  test('a CRLF + BOM checkout of the same files validates and is a no-op', async () => {
    db = tempDb();
    await (await migrator([M1, M2])).migrate();
    const crlf = [M1, M2].map((s) => ({ file: s.file, text: '\uFEFF' + s.text.replace(/\n/g, '\r\n') }));
    const m = await migrator(crlf);
    expect(await m.validate()).toEqual([]);
    expect((await m.migrate()).steps).toEqual([]);
  });

  test('future database → DB_NEWER_THAN_APP naming the file and the app version that wrote it; never written', async () => {
    db = tempDb();
    await (await migrator([M1, M2, M3], { appVersion: '9.9.9' })).migrate();
    await seedParents(db);
    const before = await dump(db);
    const m = await migrator([M1, M2]);
    const s = await m.status();
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toMatchObject({ code: 'DB_NEWER_THAN_APP', migration: '0003_thing_idx.sql' });
    expect(s.problems[0]!.message).toContain('9.9.9');
    await expectProblem(m.migrate(), 'DB_NEWER_THAN_APP', '0003_thing_idx.sql');
    await expectProblem(m.rollback(), 'DB_NEWER_THAN_APP');
    await expectProblem(m.repair({ acceptChecksumOf: '0001_parents.sql' }), 'DB_NEWER_THAN_APP');
    expect(await dump(db)).toEqual(before);
    expect(fs.existsSync(path.join(db.dir, 'backups'))).toBe(false);
  });

  test('a pending file ordered before an applied one → OUT_OF_ORDER naming it', async () => {
    db = tempDb();
    const later = mig(3, 'later', 'CREATE TABLE later (x INTEGER) STRICT;', 'DROP TABLE later;');
    await (await migrator([M1, later])).migrate();
    const m = await migrator([M1, M2, later]);
    expect((await m.status()).problems).toMatchObject([{ code: 'OUT_OF_ORDER', migration: '0002_things.sql' }]);
    await expectProblem(m.migrate(), 'OUT_OF_ORDER', '0002_things.sql');
  });

  test('a broken file fails at open with INVALID_MIGRATION, before touching the database', async () => {
    db = tempDb();
    await expectProblem(openMigrator(db, [M1, { file: '0002_bad.sql', text: 'CREATE TABLE x(y);' }]), 'INVALID_MIGRATION', '0002_bad.sql');
  });

  test('schema drift is reported as a warning, not a blocker', async () => {
    db = tempDb();
    const m = await migrator([M1, M2]);
    await m.migrate({ to: 1 });
    await withClient(db, (c) => c.execute('CREATE TABLE sneaky (x)'));
    const s = await m.status();
    expect(s.ok).toBe(true);
    expect(s.drift).toMatchObject({ migration: '0001_parents.sql', matches: null });
    expect(s.problems).toMatchObject([{ code: 'SCHEMA_DRIFT', severity: 'warning', migration: '0001_parents.sql' }]);
    await withClient(db, (c) => c.execute('DROP TABLE sneaky'));
    expect((await m.status()).drift).toBeNull();
    // Undoing a migration by hand: the schema matches an older recorded fingerprint.
    await m.migrate();
    await withClient(db, (c) => c.execute('DROP TABLE thing'));
    expect((await m.status()).drift).toMatchObject({ migration: '0002_things.sql', matches: '0001_parents.sql' });
  });
});

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
