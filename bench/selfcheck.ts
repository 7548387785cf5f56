// Benchmark 7: the storage self-check at launch (docs/storage.md). Its budget is 50 ms on a
// 600 MB database, so it must never scan: this builds a database of that size (session logs
// whose text is mostly one long token, so the full-text index stays cheap to build) and
// times StorageCheckRepository.quick() in fresh processes, as at app start (the first run of
// each process pays for cold pages, as a launch does).

import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { locationFromPath, openClient } from '../src/main/db/connection.js';
import { StorageCheckRepository } from '../src/main/repositories/storage-check.js';
import { createBenchDb, tempDir } from './lib/db.js';
import { figure, type BenchOutput } from './lib/figures.js';

export interface SelfCheckOptions {
  samples: number;
  /** Target database size in MB. */
  megabytes: number;
}

/** Child-process entry: one launch check, printed as "<ms> <problems>". */
export async function selfCheckOnce(file: string): Promise<void> {
  const client = await openClient(locationFromPath(file));
  const t0 = performance.now();
  const problems = await new StorageCheckRepository(client).quick();
  const ms = performance.now() - t0;
  client.close();
  process.stdout.write(`${ms} ${problems.length}\n`);
}

const NODE_BYTES = 10_000;

async function build(megabytes: number): Promise<{ file: string; dir: string; nodes: number }> {
  const dir = tempDir();
  const db = await createBenchDb(8, dir);
  const perSession = Math.ceil((megabytes * 1e6) / NODE_BYTES / 8);
  // Generated inside SQLite (no 600 MB of JSON through the driver): a unique word, then one
  // long token, so the index holds a little per node while the file reaches its size.
  for (let s = 0; s < 8; s++) {
    for (let start = 0; start < perSession; start += 5_000) {
      await db.client.execute({
        sql: `INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, role, status, content, started_at, ended_at)
              WITH RECURSIVE r(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM r WHERE i + 1 < ?3)
              SELECT printf('bench-%d-%08d', ?4, i), ?1, i, 0, printf('%08d', i), 'assistant_message', 'assistant', 'complete',
                printf('w%dx%d ', ?4, i) || hex(zeroblob(?5)), strftime('%Y-%m-%dT%H:%M:%fZ'), strftime('%Y-%m-%dT%H:%M:%fZ') FROM r`,
        args: [db.ids.sessionIds[s]!, start, Math.min(perSession, start + 5_000), s, NODE_BYTES / 2],
      });
    }
  }
  await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.close();
  return { file: db.file, dir, nodes: perSession * 8 };
}

export async function runSelfCheck(opts: SelfCheckOptions, selfScript: string): Promise<BenchOutput> {
  const { file, dir, nodes } = await build(opts.megabytes);
  const bytes = fs.statSync(file).size;
  const ms: number[] = [];
  let problems = 0;
  for (let i = 0; i < opts.samples; i++) {
    const out = execFileSync(process.execPath, [selfScript, 'selfcheck-once', file], { encoding: 'utf8', timeout: 60_000 });
    const [t, p] = out.trim().split('\n').pop()!.split(' ');
    ms.push(Number(t));
    problems += Number(p);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (problems > 0) throw new Error(`the self-check found ${problems} problems in a healthy database`);
  return {
    name: 'selfcheck',
    figures: [
      figure(
        {
          id: 'selfcheck.quick', group: '7 Self-check', label: 'storage self-check at launch', unit: 'ms',
          target: { op: '<=', value: 50 },
          meaning: 'What checking the database costs every launch before the window shows data (the full check runs later, in the background).',
          note: `${(bytes / 1e6).toFixed(0)} MB database, ${nodes.toLocaleString('en')} log nodes; schema, newest rows and their references, search index probes; first check in a fresh process`,
        },
        ms,
      ),
    ],
    context: { bytes, nodes },
  };
}
