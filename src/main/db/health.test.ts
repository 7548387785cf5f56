// Bad environments get clear words: a read-only data folder, an empty file, a damaged file, a full
// disk. Real files, real SQLite errors, and a real process for the read-only folder.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient, type Client } from '@libsql/client';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase } from './database.js';
import { DatabaseError, classifySqliteError } from './errors.js';
import { takeBackup } from './migrator/backup.js';
import { bundledChild, mig, tempDb, withClient, type TempDb } from './migrator/testing.js';
import type { MigrationProgress } from './migrator/types.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const child = bundledChild(path.join(here, 'fixtures', 'open-child.ts'), 'health');


let db: TempDb;
afterEach(() => db?.cleanup());

const A = mig(1, 'a', 'CREATE TABLE a (x INTEGER, pad BLOB) STRICT;', 'DROP TABLE a;');

async function failure(p: Promise<unknown>): Promise<DatabaseError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DatabaseError);
  return e as DatabaseError;
}

/** A database with data and one backup, closed with its WAL checkpointed into the file. */
async function withDataAndBackup(): Promise<string> {
  db = tempDb('paddock-health-');
  await (await openDatabase({ location: db.location, migrations: [A] })).close();
  return withClient(db, async (c) => {
    await c.execute("INSERT INTO a (x, pad) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT i, randomblob(200) FROM n");
    const backup = await takeBackup(c, db.file, { label: 'pre-up-0002' });
    await c.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    return backup;
  });
}

async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

async function raw<T>(file: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = createClient({ url: `file:${file}`, intMode: 'number', timeout: 50 });
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

describe('classifySqliteError on the errors libsql really throws', () => {
  test('every class', async () => {
    db = tempDb('paddock-classify-');
    const f = (name: string) => path.join(db.dir, name);
    fs.writeFileSync(f('random.db'), Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251)));
    expect(classifySqliteError(await caught(() => raw(f('random.db'), (c) => c.execute('SELECT * FROM sqlite_schema')))), 'NOTADB').toBe('corrupt');
    fs.writeFileSync(f('file'), 'x');
    const cantopen = await caught(() => raw(path.join(f('file'), 'x.db'), (c) => c.execute('SELECT 1')));
    expect((cantopen as Error).message).toMatch(/ConnectionFailed/); // no SQLite code on this one
    expect(classifySqliteError(cantopen)).toBe('cantopen');
    await raw(f('ok.db'), async (c) => {
      await c.execute('CREATE TABLE u (x UNIQUE)');
      await c.execute('INSERT INTO u VALUES (1)');
      expect(classifySqliteError(await caught(() => c.execute('INSERT INTO u VALUES (1)')))).toBe('constraint');
      await c.execute('PRAGMA max_page_count = 3');
      expect(classifySqliteError(await caught(() => c.execute('INSERT INTO u SELECT randomblob(50000)')))).toBe('full');
    });
    await raw(f('ok.db'), async (c) => {
      await c.execute('PRAGMA query_only = 1');
      expect(classifySqliteError(await caught(() => c.execute('INSERT INTO u VALUES (2)')))).toBe('readonly');
    });
    await raw(f('ok.db'), async (holder) => {
      const tx = await holder.transaction('write');
      await tx.execute('INSERT INTO u VALUES (3)');
      const busy = await caught(() => raw(f('ok.db'), (c) => c.execute('INSERT INTO u VALUES (4)')));
      await tx.rollback();
      expect(classifySqliteError(busy)).toBe('busy');
    });
    fs.copyFileSync(f('ok.db'), f('cut.db'));
    await raw(f('cut.db'), async (c) => {
      await c.execute("INSERT INTO u WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) SELECT printf('%0200d', i) FROM n");
    });
    fs.truncateSync(f('cut.db'), Math.floor(fs.statSync(f('cut.db')).size / 2));
    expect(classifySqliteError(await caught(() => raw(f('cut.db'), (c) => c.execute('SELECT count(*) FROM u'))))).toBe('corrupt');
    expect(classifySqliteError(await caught(() => Promise.reject(new Error('something else'))))).toBe('other');
    for (const code of ['EACCES', 'EROFS']) expect(classifySqliteError(Object.assign(new Error('x'), { code }))).toBe('readonly');
    expect(classifySqliteError(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe('full');
  });
});

describe('a read-only data folder', () => {
  // Root ignores permission bits; as root the child runs as "nobody" so the folder really refuses it.
  const asRoot = process.getuid?.() === 0;
  const canDrop = !asRoot || spawnSync(process.execPath, ['-e', ''], { uid: 65534, gid: 65534 }).status === 0;
  if (!canDrop) console.warn('SKIPPED read-only folder test: running as root and cannot start a process as uid 65534');

  test.skipIf(!canDrop || process.platform === 'win32')('says the folder is read-only, for a new and for an existing database', async () => {
    db = tempDb('paddock-ro-');
    const empty = path.join(db.dir, 'empty');
    const existing = path.join(db.dir, 'existing');
    fs.mkdirSync(empty);
    fs.mkdirSync(existing);
    await (await openDatabase({ location: { url: `file:${path.join(existing, 'paddock.db')}` } })).close();
    for (const d of [db.dir]) fs.chmodSync(d, 0o755);
    for (const d of [empty, existing]) fs.chmodSync(d, 0o555);
    try {
      for (const dir of [empty, existing]) {
        const file = path.join(dir, 'paddock.db');
        const r = await run(process.execPath, [child, file], asRoot ? { uid: 65534, gid: 65534 } : {});
        const out = JSON.parse(r.stdout.trim()) as { ok: boolean; typed: boolean; error: { code: string; message: string } };
        expect(out, dir).toMatchObject({ ok: false, typed: true, error: { code: 'READ_ONLY' } });
        expect(out.error.message).toContain(dir);
        expect(out.error.message).toMatch(/read-only/);
        expect(out.error.message).not.toMatch(/ConnectionFailed|\n\s+at /);
      }
    } finally {
      for (const d of [empty, existing]) fs.chmodSync(d, 0o755);
    }
  });
});

describe('the database file', () => {
  test('zero bytes: started as a new database, with a notice naming the file and the newest backup', async () => {
    const backup = await withDataAndBackup();
    // A folder this process never opened a database in (libsql closes its handles lazily, and a
    // lingering handle on the old inode would see stale locks): the empty file and the backup.
    const first = db;
    db = tempDb('paddock-empty-');
    try {
      fs.mkdirSync(path.join(db.dir, 'backups'));
      const copied = path.join(db.dir, 'backups', path.basename(backup));
      fs.copyFileSync(backup, copied);
      fs.writeFileSync(db.file, '');
      const events: MigrationProgress[] = [];
      const open = await openDatabase({ location: db.location, migrations: [A], onProgress: (e) => events.push(e) });
      await open.close();
      expect(open.status.current).toBe(1);
      expect(open.notices).toHaveLength(1);
      expect(open.notices[0]).toContain(`${db.file} was empty (0 bytes)`);
      expect(open.notices[0]).toContain(copied);
      expect(events).toContainEqual({ type: 'notice', message: open.notices[0] });
    } finally {
      first.cleanup();
    }
  });

  test('random bytes: CORRUPT, naming the file, the backups folder, the newest backup and working restore steps', async () => {
    const backup = await withDataAndBackup();
    fs.writeFileSync(db.file, Buffer.from(Array.from({ length: 16384 }, (_, i) => (i * 131) % 256)));
    for (const s of ['-wal', '-shm']) fs.rmSync(`${db.file}${s}`, { force: true });
    const e = await failure(openDatabase({ location: db.location, migrations: [A] }));
    expect(e.code).toBe('CORRUPT');
    expect(e.message).toContain(db.file);
    expect(e.message).toContain('damaged');
    expect(e.message).toContain(path.join(db.dir, 'backups'));
    expect(e.message).toContain(backup);
    // The exact commands in the message, run as written, bring the data back.
    const steps = e.message.split('\n').filter((l) => /^ {2}(mv|rm|cp) /.test(l)).map((l) => l.trim());
    expect(steps).toHaveLength(3);
    if (process.platform !== 'win32') await run('sh', ['-c', steps.join(' && ')]);
    const open = await openDatabase({ location: db.location, migrations: [A] });
    try {
      expect((await open.client.execute('SELECT count(*) AS n FROM a')).rows[0]!.n).toBe(2000);
    } finally {
      await open.close();
    }
  });

  test('truncated: CORRUPT, saying so, before SQLite trips over a missing page', async () => {
    await withDataAndBackup();
    for (const s of ['-wal', '-shm']) fs.rmSync(`${db.file}${s}`, { force: true });
    fs.truncateSync(db.file, Math.floor(fs.statSync(db.file).size / 2));
    const e = await failure(openDatabase({ location: db.location, migrations: [A] }));
    expect(e.code).toBe('CORRUPT');
    expect(e.message).toMatch(/truncated/);
    expect(e.message).toContain(db.file);
  });

  test('disk full during a migration: one DISK_FULL error, nothing changed, and it works once there is space', async () => {
    await withDataAndBackup();
    // max_page_count makes SQLite answer SQLITE_FULL exactly as a full disk does.
    const fill = 'INSERT INTO big WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) SELECT randomblob(1000) FROM n;';
    const full = mig(2, 'big', `PRAGMA max_page_count = 200;\nCREATE TABLE big (b BLOB) STRICT;\n${fill}`, 'DROP TABLE big;');
    const e = await failure(openDatabase({ location: db.location, migrations: [A, full] }));
    expect(e.code).toBe('DISK_FULL');
    expect(e.message).toMatch(/is full/);
    expect(e.message).toContain(db.dir);
    const spaced = mig(2, 'big', `CREATE TABLE big (b BLOB) STRICT;\n${fill}`, 'DROP TABLE big;');
    const open = await openDatabase({ location: db.location, migrations: [A, spaced] });
    try {
      expect(open.status.current).toBe(2);
      expect((await open.client.execute('SELECT count(*) AS n FROM a')).rows[0]!.n).toBe(2000);
      expect((await open.client.execute('SELECT count(*) AS n FROM big')).rows[0]!.n).toBe(3000);
    } finally {
      await open.close();
    }
  });
});
