// Two real processes migrating one database at once: each migration is applied exactly once,
// with no lock rows or lock files — SQLite's write lock plus a re-check under it.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { listBackups } from './backup.js';
import { bundledChild, mig, rows, tempDb, withClient, writeMigrationsDir, type TempDb } from './testing.js';
import type { MigrationProgress } from './types.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const child = bundledChild(path.join(here, 'fixtures', 'migrate-child.ts'), 'migrator');

const ROWS = 200_000;
// Slow enough (hundreds of ms) that the two processes really overlap. IF NOT EXISTS makes a
// double application visible as doubled rows instead of an error.
const heavy = (id: number, table: string, rowCount = ROWS) =>
  mig(
    id,
    `fill_${table}`,
    `CREATE TABLE IF NOT EXISTS ${table} (n INTEGER NOT NULL, pad TEXT NOT NULL) STRICT;
INSERT INTO ${table} (n, pad) WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${rowCount}) SELECT n, printf('%080d', n) FROM c;`,
    `DROP TABLE ${table};`,
  );

interface ChildResult {
  ok: boolean;
  code?: string;
  message?: string;
  events: MigrationProgress[];
}

async function race(db: TempDb, dir: string): Promise<ChildResult[]> {
  const startAt = String(Date.now() + 800);
  const runs = [0, 1].map(() =>
    run(process.execPath, [child, db.file, dir, startAt], { timeout: 60_000 }).then(
      (r) => JSON.parse(r.stdout.trim()) as ChildResult,
      (e: { stdout?: string }) => JSON.parse(String(e.stdout ?? '').trim() || '{"ok":false,"events":[]}') as ChildResult,
    ),
  );
  return Promise.all(runs);
}

function doneBy(results: ChildResult[]): string[] {
  return results.flatMap((r) => r.events.filter((e) => e.type === 'migration:done').map((e) => (e as { migration: string }).migration)).sort();
}


describe('two processes migrating the same database', () => {
  test.each([1, 2, 3])('fresh database (round %i): every migration applied exactly once', async () => {
    const db = tempDb();
    try {
      const dir = writeMigrationsDir(path.join(db.dir, 'migrations'), [heavy(1, 'a'), heavy(2, 'b')]);
      const results = await race(db, dir);
      // Either process may fail only with LOCKED (waited past its busy timeout); never anything else.
      for (const r of results) if (!r.ok) expect(r.code, r.message).toBe('LOCKED');
      expect(results.some((r) => r.ok)).toBe(true);
      expect(doneBy(results)).toEqual(['0001_fill_a.sql', '0002_fill_b.sql']);
      expect(await rows(db, 'SELECT id FROM schema_migrations ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
      expect(await rows(db, 'SELECT count(*) AS n FROM a')).toEqual([{ n: ROWS }]);
      expect(await rows(db, 'SELECT count(*) AS n FROM b')).toEqual([{ n: ROWS }]);
      expect(await rows(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      db.cleanup();
    }
  });

  test('database with data: applied once, both may back up, nothing left locked', async () => {
    const db = tempDb();
    try {
      const first = mig(1, 'base', 'CREATE TABLE base (x INTEGER) STRICT;', 'DROP TABLE base;');
      const dir = writeMigrationsDir(path.join(db.dir, 'migrations'), [first]);
      const [r0] = await race(db, dir);
      expect(r0!.ok).toBe(true);
      await withClient(db, (c) => c.execute('INSERT INTO base VALUES (1), (2)'));
      writeMigrationsDir(dir, [heavy(2, 'c')]);
      const results = await race(db, dir);
      for (const r of results) if (!r.ok) expect(r.code, r.message).toBe('LOCKED');
      expect(doneBy(results)).toEqual(['0002_fill_c.sql']);
      expect(await rows(db, 'SELECT count(*) AS n FROM c')).toEqual([{ n: ROWS }]);
      expect(listBackups(db.file).length).toBeGreaterThanOrEqual(1);
      // No lock rows and no lock files: only the database, its WAL files, backups and migrations.
      expect(fs.readdirSync(db.dir).filter((f) => !/^paddock\.db(-wal|-shm)?$/.test(f)).sort()).toEqual(['backups', 'migrations']);
      await withClient(db, async (c) => {
        const tx = await c.transaction('write'); // the write lock is free again
        await tx.rollback();
      });
    } finally {
      db.cleanup();
    }
  });

  test('a process killed mid-migration leaves it unapplied (or fully applied); the next run finishes it', async () => {
    const db = tempDb();
    const BIG = 800_000;
    try {
      const dir = writeMigrationsDir(path.join(db.dir, 'migrations'), [heavy(1, 'k', BIG)]);
      const proc = spawn(process.execPath, [child, db.file, dir, '0', '--live'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
      let buf = '';
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          // Kill as soon as the big INSERT (statement 2) has started.
          if (buf.includes('"type":"statement"') && buf.includes('"index":1')) {
            proc.kill('SIGKILL');
            resolve();
          }
        });
        proc.on('exit', () => reject(new Error(`child exited before the INSERT started:\n${buf}`)));
      });
      expect(await exited).toBe('SIGKILL');
      const applied = await rows(db, "SELECT count(*) AS n FROM sqlite_schema WHERE name = 'schema_migrations'").then(async (r) =>
        r[0]!.n === 0 ? [] : rows(db, 'SELECT id FROM schema_migrations'),
      );
      const table = await rows(db, "SELECT name FROM sqlite_schema WHERE name = 'k'");
      if (applied.length === 0) expect(table).toEqual([]); // nothing half-applied
      else expect(await rows(db, 'SELECT count(*) AS n FROM k')).toEqual([{ n: BIG }]);
      expect(await rows(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      const again = await run(process.execPath, [child, db.file, dir, '0']);
      expect(JSON.parse(again.stdout.trim()).ok).toBe(true);
      expect(await rows(db, 'SELECT id FROM schema_migrations')).toEqual([{ id: 1 }]);
      expect(await rows(db, 'SELECT count(*) AS n FROM k')).toEqual([{ n: BIG }]);
    } finally {
      db.cleanup();
    }
  });
});
