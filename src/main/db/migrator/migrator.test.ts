import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { listBackups } from './backup.js';
import { migratorsFor, M1, M2, M3, dump, expectProblem, mig, openMigrator, rows, seedParents, tempDb, withClient, type TempDb } from './testing.js';
import type { MigrationProgress } from './types.js';

let db: TempDb;
const migrator = migratorsFor(() => db);

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
