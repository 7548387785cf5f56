// The start-up migrator waits for another process's write lock up to its busy timeout (15 s by
// default, as the README says), then fails with LOCKED naming who holds the database.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase } from '../database.js';
import { findLockHolders } from '../lockHolders.js';
import { MIGRATION_BUSY_TIMEOUT_MS } from './migrator.js';
import { bundledChild, mig, openMigrator, tempDb, withClient, type TempDb } from './testing.js';
import { MigrationError } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = bundledChild(path.join(here, 'fixtures', 'hold-lock-child.ts'), 'lock');


let db: TempDb;
let holder: ChildProcessWithoutNullStreams | null = null;
afterEach(() => {
  holder?.kill('SIGKILL');
  holder = null;
  db?.cleanup();
});

const A = mig(1, 'a', 'CREATE TABLE a (x INTEGER) STRICT;', 'DROP TABLE a;');
const B = mig(2, 'b', 'CREATE TABLE b (x INTEGER) STRICT;', 'DROP TABLE b;');

async function migratedWithData(): Promise<void> {
  db = tempDb('paddock-lock-');
  const m = await openMigrator(db, [A], { backup: false });
  try {
    await m.migrate();
  } finally {
    m.close();
  }
  await withClient(db, (c) => c.execute('INSERT INTO a VALUES (1)'));
}

/** A real process holding BEGIN IMMEDIATE on the database; resolves once it holds it. */
async function holdLock(): Promise<ChildProcessWithoutNullStreams> {
  const proc = spawn(process.execPath, [child, db.file]);
  holder = proc;
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('HOLDING')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`lock holder exited (${code}) before holding the lock: ${out}`)));
  });
  return proc;
}

describe('the migrator and a write lock held by another process', () => {
  test('the default wait is 15 s, as documented', async () => {
    expect(MIGRATION_BUSY_TIMEOUT_MS).toBe(15_000);
    await migratedWithData();
    const m = await openMigrator(db, [A]);
    try {
      expect(await m.busyTimeoutMs()).toBe(15_000);
    } finally {
      m.close();
    }
  });

  test('waits the whole busy timeout, then LOCKED names the holding process (pid and command line)', async () => {
    await migratedWithData();
    const proc = await holdLock();
    expect(findLockHolders(db.file).map((h) => h.pid)).toContain(proc.pid);
    const started = performance.now();
    const err = await openDatabase({ location: db.location, migrations: [A, B], busyTimeoutMs: 1500 }).catch((e: unknown) => e);
    const waited = performance.now() - started;
    expect(err).toBeInstanceOf(MigrationError);
    const e = err as MigrationError;
    expect(e.code).toBe('LOCKED');
    expect(waited).toBeGreaterThanOrEqual(1400);
    expect(e.message).toContain(`pid ${proc.pid}`);
    expect(e.message).toContain('hold-lock-child.mjs');
    expect(e.message).toContain('1.5 s');
    expect(e.problems[0]!.detail).toMatchObject({ holders: expect.arrayContaining([expect.objectContaining({ pid: proc.pid })]) });
  });

  test('a lock released within the timeout is waited for, and the migration then runs', async () => {
    await migratedWithData();
    const proc = await holdLock();
    let sent = false;
    const open = await openDatabase({
      location: db.location,
      migrations: [A, B],
      busyTimeoutMs: 60_000,
      // The backup is taken right before the migration asks for the write lock: release then.
      onProgress: (ev) => {
        if (ev.type === 'backup' && !sent) {
          sent = true;
          proc.stdin.write('release\n');
        }
      },
    });
    try {
      expect(sent).toBe(true);
      expect(open.status.current).toBe(2);
    } finally {
      await open.close();
    }
  });
});
