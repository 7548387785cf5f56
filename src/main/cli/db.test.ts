// The real `paddock` command: bin/paddock.mjs running the esbuild bundle of src/main/cli/index.ts,
// spawned as a plain Node process against real database files.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { BUNDLED_MIGRATIONS } from '../db/bundledMigrations.generated.js';
import { mig, tempDb, writeMigrationsDir, type TempDb } from '../db/migrator/testing.js';

const execFileP = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
// Inside the repo so the bundle's external imports (@libsql/client) resolve from node_modules.
const outRoot = path.join(root, 'node_modules', '.cache', `paddock-cli-test-${process.pid}`);
const bin = path.join(outRoot, 'bin', 'paddock.mjs');

beforeAll(async () => {
  // The real build script, writing elsewhere so a concurrent `npm run build` is not disturbed.
  await execFileP(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs'), '--outfile', path.join(outRoot, 'dist', 'cli.mjs')]);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  fs.copyFileSync(path.join(root, 'bin', 'paddock.mjs'), bin); // the real bin file, importing ../dist/cli.mjs
});
afterAll(() => fs.rmSync(outRoot, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
}

async function paddock(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const fullEnv = { ...process.env, ...env };
  if (!('PADDOCK_DATA_DIR' in env)) delete fullEnv.PADDOCK_DATA_DIR;
  try {
    const r = await execFileP(process.execPath, [bin, ...args], { env: fullEnv, timeout: 30_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '', json: () => JSON.parse(err.stdout ?? '') };
  }
}

const A = mig(1, 'alpha', 'CREATE TABLE alpha (id INTEGER PRIMARY KEY, v TEXT) STRICT;', 'DROP TABLE alpha;');
const B = mig(2, 'beta', 'CREATE TABLE beta (id INTEGER PRIMARY KEY) STRICT;\nCREATE INDEX beta_id ON beta(id);', 'DROP TABLE beta;');

let db: TempDb;
let migDir: string;
let base: string[];
afterEach(() => db?.cleanup());
function setup(files = [A, B]): void {
  db = tempDb('paddock-cli-');
  migDir = writeMigrationsDir(path.join(db.dir, 'migrations'), files);
  base = ['--db', db.file, '--migrations-dir', migDir, '--json'];
}

describe('paddock db', () => {
  test('status on a fresh database: the documented JSON shape', async () => {
    setup();
    const r = await paddock(['db', 'status', ...base]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      ok: true,
      current: null,
      applied: [],
      pending: [
        { id: 1, name: '0001_alpha.sql' },
        { id: 2, name: '0002_beta.sql' },
      ],
      problems: [],
    });
  });

  test('migrate, then status lists applied rows with id, name, checksum, appliedAt, executionMs', async () => {
    setup();
    const m = await paddock(['db', 'migrate', ...base]);
    expect(m.code).toBe(0);
    expect(m.json()).toMatchObject({ ok: true, dryRun: false, applied: [{ id: 1 }, { id: 2 }], current: 2, backup: null });
    const s = await paddock(['db', 'status', ...base]);
    expect(s.code).toBe(0);
    const json = s.json() as { ok: boolean; current: number; applied: Array<Record<string, unknown>>; pending: unknown[] };
    expect(json).toMatchObject({ ok: true, current: 2, pending: [], problems: [] });
    for (const a of json.applied) {
      expect(Object.keys(a)).toEqual(expect.arrayContaining(['id', 'name', 'checksum', 'appliedAt', 'executionMs']));
      expect(a.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(typeof a.executionMs).toBe('number');
    }
    // Human output too.
    const h = await paddock(['db', 'status', '--db', db.file, '--migrations-dir', migDir]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('applied  0002_beta.sql');
  });

  test('--to, --limit, --dry-run, plan and rollback --steps', async () => {
    setup();
    const dry = await paddock(['db', 'migrate', '--dry-run', ...base]);
    expect(dry.json()).toMatchObject({ ok: true, dryRun: true, applied: [{ id: 1 }, { id: 2 }], current: null });
    const plan = await paddock(['db', 'plan', ...base]);
    expect(plan.code).toBe(0);
    expect(plan.json()).toMatchObject({
      ok: true,
      steps: [
        { direction: 'up', name: '0001_alpha.sql', transactional: true, statements: [{ line: 2, sql: 'CREATE TABLE alpha (id INTEGER PRIMARY KEY, v TEXT) STRICT' }] },
        { name: '0002_beta.sql', statements: [{ sql: 'CREATE TABLE beta (id INTEGER PRIMARY KEY) STRICT' }, { sql: 'CREATE INDEX beta_id ON beta(id)' }] },
      ],
    });
    const planText = await paddock(['db', 'plan', '--db', db.file, '--migrations-dir', migDir]);
    expect(planText.stdout).toContain('CREATE INDEX beta_id ON beta(id);');
    expect((await paddock(['db', 'migrate', '--limit', '1', ...base])).json()).toMatchObject({ applied: [{ id: 1 }], current: 1 });
    expect((await paddock(['db', 'migrate', '--to', '2', ...base])).json()).toMatchObject({ applied: [{ id: 2 }], current: 2 });
    expect((await paddock(['db', 'plan', '--down', '--steps', '2', ...base])).json()).toMatchObject({
      steps: [{ direction: 'down', id: 2 }, { direction: 'down', id: 1 }],
    });
    const rb = await paddock(['db', 'rollback', '--steps', '1', ...base]);
    expect(rb.code).toBe(0);
    expect(rb.json()).toMatchObject({ ok: true, reverted: [{ id: 2, name: '0002_beta.sql' }], current: 1 });
    expect((await paddock(['db', 'rollback', '--to', '0', ...base])).json()).toMatchObject({ reverted: [{ id: 1 }], current: null });
  });

  test('a tampered file: validate and migrate exit 1 with { ok: false, problems }, repair fixes it', async () => {
    setup();
    await paddock(['db', 'migrate', ...base]);
    fs.appendFileSync(path.join(migDir, '0001_alpha.sql'), '-- edited\n');
    const v = await paddock(['db', 'validate', ...base]);
    expect(v.code).toBe(1);
    expect(v.json()).toEqual({
      ok: false,
      problems: [{ code: 'CHECKSUM_MISMATCH', migration: '0001_alpha.sql', message: expect.any(String), severity: 'error' }],
    });
    const m = await paddock(['db', 'migrate', ...base]);
    expect(m.code).toBe(1);
    expect(m.json()).toMatchObject({ ok: false, problems: [{ code: 'CHECKSUM_MISMATCH', migration: '0001_alpha.sql' }] });
    const s = await paddock(['db', 'status', ...base]);
    expect(s.code).toBe(1);
    expect(s.json()).toMatchObject({ ok: false, current: 2 });
    const human = await paddock(['db', 'validate', '--db', db.file, '--migrations-dir', migDir]);
    expect(human.code).toBe(1);
    expect(human.stdout + human.stderr).toContain('CHECKSUM_MISMATCH 0001_alpha.sql');
    expect((await paddock(['db', 'repair', ...base])).code).toBe(2); // --accept-checksum-of is required
    const r = await paddock(['db', 'repair', '--accept-checksum-of', path.join(migDir, '0001_alpha.sql'), ...base]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ ok: true, migration: '0001_alpha.sql', changed: true });
    expect((await paddock(['db', 'validate', ...base])).json()).toEqual({ ok: true, problems: [] });
  });

  test('a deleted file and a future database fail with their codes', async () => {
    setup();
    await paddock(['db', 'migrate', ...base]);
    fs.rmSync(path.join(migDir, '0002_beta.sql'));
    const r = await paddock(['db', 'migrate', ...base]);
    expect(r.code).toBe(1);
    // 0002 is above this folder's latest: the database looks migrated by a newer app.
    expect(r.json()).toMatchObject({ ok: false, problems: [{ code: 'DB_NEWER_THAN_APP', migration: '0002_beta.sql' }] });
    fs.rmSync(path.join(migDir, '0001_alpha.sql'));
    writeMigrationsDir(migDir, [B]);
    expect((await paddock(['db', 'validate', ...base])).json()).toMatchObject({ ok: false, problems: [{ code: 'MISSING_MIGRATION', migration: '0001_alpha.sql' }] });
  });

  test('a failing migration: exit 1, MIGRATION_FAILED naming file and statement', async () => {
    setup([A, mig(2, 'broken', 'CREATE TABLE ok_one (x INTEGER);\nINSERT INTO nope VALUES (1);', 'DROP TABLE ok_one;')]);
    const r = await paddock(['db', 'migrate', ...base]);
    expect(r.code).toBe(1);
    const p = (r.json() as { problems: Array<{ code: string; migration: string; message: string }> }).problems[0]!;
    expect(p).toMatchObject({ code: 'MIGRATION_FAILED', migration: '0002_broken.sql' });
    expect(p.message).toContain('INSERT INTO nope');
    expect(p.message).toContain('no such table: nope');
    expect((await paddock(['db', 'status', ...base])).json()).toMatchObject({ current: 1, pending: [{ id: 2 }] });
  });

  test('backup and fingerprint', async () => {
    setup();
    await paddock(['db', 'migrate', ...base]);
    const b = await paddock(['db', 'backup', ...base]);
    expect(b.code).toBe(0);
    const file = (b.json() as { file: string }).file;
    expect(path.dirname(file)).toBe(path.join(db.dir, 'backups'));
    expect(fs.existsSync(file)).toBe(true);
    const f = await paddock(['db', 'fingerprint', ...base]);
    expect(f.code).toBe(0);
    const fj = f.json() as { ok: boolean; fingerprint: string; expected: string; drift: unknown };
    expect(fj).toMatchObject({ ok: true, drift: null });
    expect(fj.fingerprint).toBe(fj.expected);
  });

  test('--data-dir and PADDOCK_DATA_DIR resolve to DIR/paddock.db; bundled migrations by default', async () => {
    setup();
    const viaFlag = await paddock(['db', 'migrate', '--data-dir', db.dir, '--json']);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.json()).toMatchObject({ ok: true, applied: BUNDLED_MIGRATIONS.map((m) => ({ name: m.file })) });
    expect(fs.existsSync(path.join(db.dir, 'paddock.db'))).toBe(true);
    const viaEnv = await paddock(['db', 'status', '--json'], { PADDOCK_DATA_DIR: db.dir });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.json()).toMatchObject({ ok: true, pending: [], current: expect.any(Number) });
  });

  test('read-only commands do not create a missing database; rollback/backup on one fail', async () => {
    setup();
    const missing = path.join(db.dir, 'sub', 'none.db');
    const s = await paddock(['db', 'status', '--db', missing, '--migrations-dir', migDir, '--json']);
    expect(s.code).toBe(0);
    expect(s.json()).toMatchObject({ ok: true, current: null, pending: [{ id: 1 }, { id: 2 }] });
    expect((await paddock(['db', 'plan', '--db', missing, '--migrations-dir', migDir, '--json'])).code).toBe(0);
    const rb = await paddock(['db', 'rollback', '--db', missing, '--migrations-dir', migDir, '--json']);
    expect(rb.code).toBe(1);
    expect(rb.json()).toMatchObject({ ok: false, problems: [{ code: 'DB_ERROR' }] });
    expect(fs.existsSync(path.join(db.dir, 'sub'))).toBe(false);
  });

  test('usage errors exit 2 (with JSON when asked)', async () => {
    setup();
    const both = await paddock(['db', 'status', '--db', db.file, '--data-dir', db.dir, '--json']);
    expect(both.code).toBe(2);
    expect(both.json()).toMatchObject({ ok: false, problems: [{ code: 'INVALID_ARGUMENT', migration: null }] });
    expect((await paddock(['db', 'migrate', '--to', 'abc', ...base])).code).toBe(2);
    expect((await paddock(['db', 'frobnicate', ...base])).code).toBe(2);
    expect((await paddock(['db', 'status', '--bogus', ...base])).code).toBe(2);
    expect((await paddock(['db', 'status', '--db', db.file, '--migrations-dir', path.join(db.dir, 'nope'), '--json'])).code).toBe(2);
    expect((await paddock(['nope'])).code).toBe(2);
    const help = await paddock(['db', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('paddock db <command>');
    expect((await paddock(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('a file that is not a database fails cleanly (exit 1, DB_ERROR), not with a crash', async () => {
    setup();
    fs.writeFileSync(db.file, 'this is not a sqlite database, just some text that is long enough to have a header');
    const r = await paddock(['db', 'status', ...base]);
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ ok: false, problems: [{ code: 'DB_ERROR' }] });
  });

  test('without --db or --data-dir: the folder serve uses, and a note saying so', async () => {
    setup();
    const env = { XDG_CONFIG_HOME: db.dir, HOME: db.dir, APPDATA: db.dir };
    const r = await paddock(['db', 'migrate', '--migrations-dir', migDir, '--json'], env);
    expect(r.code).toBe(0);
    const folder = process.platform === 'darwin' ? path.join(db.dir, 'Library', 'Application Support', 'Paddock') : path.join(db.dir, 'Paddock');
    expect(r.stderr).toContain(`paddock db migrate: using database ${path.join(folder, 'paddock.db')} (the default data folder)`);
    expect(fs.existsSync(path.join(folder, 'paddock.db'))).toBe(true);
  });

  test('--dry-run creates nothing; a --db in a missing folder is an error, not a new folder', async () => {
    setup();
    const newFile = path.join(db.dir, 'new.db');
    const dry = await paddock(['db', 'migrate', '--dry-run', '--db', newFile, '--migrations-dir', migDir, '--json']);
    expect(dry.code).toBe(0);
    expect(dry.json()).toMatchObject({ ok: true, dryRun: true, applied: [{ id: 1 }, { id: 2 }] });
    expect(fs.existsSync(newFile)).toBe(false);
    const newDir = path.join(db.dir, 'fresh-data');
    expect((await paddock(['db', 'migrate', '--dry-run', '--data-dir', newDir, '--migrations-dir', migDir])).code).toBe(0);
    expect(fs.existsSync(newDir)).toBe(false);
    const missing = path.join(db.dir, 'typo', 'x.db');
    const m = await paddock(['db', 'migrate', '--db', missing, '--migrations-dir', migDir]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`paddock db migrate: the folder of --db ${missing} does not exist`);
    expect(fs.existsSync(path.join(db.dir, 'typo'))).toBe(false);
    expect(fs.readdirSync(db.dir).sort()).toEqual(['migrations']);
  });

  test('a --data-dir that is a file is an error for every command', async () => {
    setup();
    const file = path.join(db.dir, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    for (const cmd of ['status', 'validate', 'migrate', 'backup']) {
      const r = await paddock(['db', cmd, '--data-dir', file, '--migrations-dir', migDir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`paddock db ${cmd}: --data-dir ${file} is not a folder`);
    }
    const viaEnv = await paddock(['db', 'status', '--json'], { PADDOCK_DATA_DIR: file });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.json()).toMatchObject({ ok: false, problems: [{ code: 'INVALID_ARGUMENT', message: expect.stringContaining('is not a folder') }] });
  });

  test('an empty --migrations-dir says so instead of "database newer than app"', async () => {
    setup();
    await paddock(['db', 'migrate', ...base]);
    const empty = path.join(db.dir, 'empty');
    fs.mkdirSync(empty);
    for (const cmd of ['status', 'migrate']) {
      const r = await paddock(['db', cmd, '--db', db.file, '--migrations-dir', empty]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`no migrations found in ${empty}`);
      expect(r.stderr).not.toContain('DB_NEWER_THAN_APP');
    }
  });

  test('errors share one style: "paddock db <cmd>: message", a hint, no stack trace', async () => {
    setup();
    const bad = await paddock(['db', 'status', '--bogus', '--db', db.file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^paddock db: Unknown option '--bogus'.*\nRun "paddock db --help" for the commands and options\.\n$/);
    fs.writeFileSync(db.file, 'this is not a sqlite database, just some text that is long enough to have a header');
    const broken = await paddock(['db', 'status', '--db', db.file, '--migrations-dir', migDir]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^paddock db status: error: DB_ERROR: /);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    const unknown = await paddock(['frobnicate']);
    expect(unknown.stderr).toBe('paddock: unknown command "frobnicate"\nRun "paddock --help" for the commands.\n');
  });
});
