// Backups are atomic: a real process killed in the middle of one leaves nothing that counts as a
// backup, the next start removes its leftovers, and rotation keeps 5 good automatic backups while
// manual ones (`paddock db backup`) are never pruned.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { openClient } from '../connection.js';
import { openDatabase } from '../database.js';
import { backupDirFor, listBackups, takeBackup, verifyBackup } from './backup.js';
import { bundledChild, mig, openMigrator, tempDb, withClient, writeMigrationsDir, type TempDb } from './testing.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = bundledChild(path.join(here, 'fixtures', 'backup-child.ts'), 'backup');


let db: TempDb;
afterEach(() => db?.cleanup());

const A = mig(1, 'a', 'CREATE TABLE a (x INTEGER, pad BLOB) STRICT;', 'DROP TABLE a;');
const B = mig(2, 'b', 'CREATE TABLE b (x INTEGER) STRICT;', 'DROP TABLE b;');

/** A migrated database holding `rows` rows of `bytes` random bytes, five automatic backups and one manual. */
async function seeded(rows: number, bytes: number): Promise<{ auto: string[]; manual: string }> {
  db = tempDb('paddock-bak-');
  const m = await openMigrator(db, [A], { backup: false });
  try {
    await m.migrate();
  } finally {
    m.close();
  }
  await withClient(db, (c) =>
    c.execute({
      sql: 'INSERT INTO a (x, pad) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i, randomblob(?) FROM n',
      args: [rows, bytes],
    }),
  );
  // The backend of `paddock db backup`.
  const cli = await openMigrator(db, [A]);
  const manual = await cli.backup().finally(() => cli.close());
  return withClient(db, async (c) => {
    const auto: string[] = [];
    for (let i = 0; i < 5; i++) auto.push(await takeBackup(c, db.file, { label: `pre-up-000${i}` }));
    return { auto, manual };
  });
}

function startChild(env: Record<string, string> = {}) {
  const migDir = writeMigrationsDir(path.join(db.dir, 'migrations'), [A, B]);
  const proc = spawn(process.execPath, [child, db.file, migDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
  return { proc, exited };
}

/** Next start: the app opens (and migrates) the database; returns every file in backups/. */
async function nextStart(): Promise<string[]> {
  const open = await openDatabase({ location: db.location, migrations: [A, B] });
  await open.close();
  return fs.readdirSync(backupDirFor(db.file)).sort();
}

async function expectFiveGoodAutoAndManual(manual: string): Promise<void> {
  const auto = listBackups(db.file, undefined, 'auto');
  expect(auto).toHaveLength(5);
  expect(listBackups(db.file, undefined, 'manual')).toEqual([manual]);
  for (const f of [...auto, manual]) await verifyBackup(f);
  // The newest automatic backup is the one this start took, and it holds the data.
  const c = await openClient({ url: `file:${auto[4]}` });
  try {
    expect((await c.execute('SELECT count(*) AS n FROM a')).rows[0]!.n).toBeGreaterThan(0);
  } finally {
    c.close();
  }
}

describe('a backup killed midway', () => {
  test('between copy and check (test hook): the temp file never counts, the next start removes it, 5 good ones kept', async () => {
    const { auto, manual } = await seeded(200, 100);
    const { proc, exited } = startChild({ PADDOCK_TEST_BACKUP_PAUSE: 'after-copy' });
    let err = '';
    const tmp = await new Promise<string>((resolve, reject) => {
      proc.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /PADDOCK_TEST_BACKUP_PAUSED (.+)\n/.exec(err);
        if (m) resolve(m[1]!);
      });
      proc.on('exit', () => reject(new Error(`the child finished without pausing in its backup:\n${err}`)));
    });
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(fs.existsSync(tmp)).toBe(true);
    expect(listBackups(db.file)).toEqual([manual, ...auto].sort());
    const files = await nextStart();
    expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(listBackups(db.file, undefined, 'auto').slice(0, 4)).toEqual(auto.slice(1));
    await expectFiveGoodAutoAndManual(manual);
  });

  test('during VACUUM INTO (SIGKILL as soon as its file appears): nothing partial counts, 5 good ones kept', async () => {
    const { manual } = await seeded(2000, 8000); // ~16 MB: the copy takes a while
    const dir = backupDirFor(db.file);
    const before = new Set(fs.readdirSync(dir));
    const { proc, exited } = startChild();
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // Poll the folder (not a sleep: the condition is the copy's file existing) and kill at once.
    await new Promise<void>((resolve, reject) => {
      const tick = setInterval(() => {
        if (fs.readdirSync(dir).some((f) => !before.has(f))) {
          clearInterval(tick);
          proc.kill('SIGKILL');
          resolve();
        }
      }, 1);
      proc.on('exit', () => {
        clearInterval(tick);
        reject(new Error(`the child finished before its backup file appeared:\n${out}`));
      });
    });
    expect(await exited).toBe('SIGKILL');
    for (const f of listBackups(db.file)) await verifyBackup(f); // whatever counts is whole
    const files = await nextStart();
    expect(files.filter((f) => /\.tmp|-journal$/.test(f))).toEqual([]);
    await expectFiveGoodAutoAndManual(manual);
  });
});

describe('rotation', () => {
  test('manual backups are never pruned; automatic ones keep the newest 5', async () => {
    const { auto, manual } = await seeded(10, 10);
    const more = await withClient(db, async (c) => {
      const made: string[] = [];
      for (let i = 0; i < 3; i++) made.push(await takeBackup(c, db.file, { label: `pre-up-001${i}` }));
      return made;
    });
    expect(listBackups(db.file, undefined, 'auto')).toEqual([...auto, ...more].slice(-5));
    expect(listBackups(db.file, undefined, 'manual')).toEqual([manual]);
  });

  test('a leftover temp file of a live process is kept; of a dead one, removed at start', async () => {
    await seeded(10, 10);
    const dir = backupDirFor(db.file);
    const live = path.join(dir, `paddock.db.20240101T000000000Z001-${process.ppid}.pre-up-0009.bak.tmp`);
    const dead = path.join(dir, `paddock.db.20240101T000000000Z002-999999999.pre-up-0009.bak.tmp`);
    for (const f of [live, dead, `${dead}-journal`]) fs.writeFileSync(f, 'partial');
    const open = await openDatabase({ location: db.location, migrations: [A], migrate: false });
    await open.close();
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(`${dead}-journal`)).toBe(false);
  });
});
