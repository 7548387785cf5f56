// Benchmark 5: start-up. How long Paddock's real opener (openDatabase: migrator validation,
// checksums, fingerprint, then the app's client) takes for (i) an up-to-date database holding a
// session log and (ii) an empty file migrated to the latest schema. Each sample is the FIRST
// open in a fresh Node process, as at app start (module loading excluded, JIT cold).

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { locationFromPath } from '../src/main/db/connection.js';
import { openDatabase } from '../src/main/db/database.js';
import { createBenchDb, tempDir } from './lib/db.js';
import { figure, type BenchOutput } from './lib/figures.js';
import { rawJsonEach } from './lib/patterns.js';
import type { Row } from './lib/db.js';
import { uuidv7 } from 'uuidv7';
import type { Client } from '@libsql/client';

export interface StartupOptions {
  samples: number;
  /** Log nodes in the up-to-date database (so validation runs against a real-sized file). */
  nodes: number;
}

/** Child-process entry: one cold open, printed as milliseconds. */
export async function startupOnce(file: string): Promise<void> {
  const t0 = performance.now();
  const db = await openDatabase({ location: locationFromPath(file) });
  const ms = performance.now() - t0;
  await db.close();
  process.stdout.write(`${ms}\n`);
}

/** A session of `count` complete nodes (flat turns of user → assistant), written in one go. */
async function fillLog(client: Client, sessionId: string, count: number): Promise<void> {
  const nodes: Row[] = [];
  const now = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    nodes.push({
      id: uuidv7(), session_id: sessionId, parent_id: null, cause_id: null, seq: i, depth: 0, path: String(i).padStart(8, '0'),
      kind: i % 2 ? 'assistant_message' : 'user_message', role: i % 2 ? 'assistant' : 'user', status: 'complete',
      content: `message ${i} with some text to index and read back`, metadata: '{}', model: null, provider: null,
      tokens_in: 0, tokens_out: 0, tokens_reasoning: 0, cost_usd: 0, started_at: now, ended_at: now, tool_name: null,
      tool_args: null, tool_result: null, duration_ms: null, child_count: 0,
    });
  }
  await rawJsonEach(client, { nodes, chunks: [] });
}

export async function runStartup(opts: StartupOptions, selfScript: string): Promise<BenchOutput> {
  const dir = tempDir();
  // (i) up-to-date database with data.
  const db = await createBenchDb(1, dir);
  await fillLog(db.client, db.ids.sessionIds[0]!, opts.nodes);
  await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.close();
  const upToDateBytes = fs.statSync(db.file).size;

  const cold = (file: string): number => {
    const out = execFileSync(process.execPath, [selfScript, 'startup-once', file], { encoding: 'utf8', timeout: 60_000 });
    return Number(out.trim().split('\n').pop());
  };

  const upToDate: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    upToDate.push(cold(db.file));
    const emptyFile = path.join(dir, `empty-${i}.db`);
    empty.push(cold(emptyFile));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    name: 'startup',
    figures: [
      figure(
        {
          id: 'startup.open_up_to_date', group: '5 Start-up', label: 'open + validate an up-to-date database', unit: 'ms',
          target: { op: '<=', value: 50 },
          meaning: 'How long the database part of launching Paddock takes on an existing install before the window can show data.',
          note: `${opts.nodes.toLocaleString('en')}-node session, ${(upToDateBytes / 1e6).toFixed(1)} MB file; first open in a fresh process`,
        },
        upToDate,
      ),
      figure(
        {
          id: 'startup.empty_to_latest', group: '5 Start-up', label: 'empty file → latest migration', unit: 'ms',
          target: { op: '<=', value: 200 },
          meaning: 'How long a first launch (or a fresh data directory) spends creating the whole schema.',
          note: 'first open in a fresh process; includes every migration, its history row and fingerprint',
        },
        empty,
      ),
    ],
    context: { upToDateBytes, nodes: opts.nodes },
  };
}

