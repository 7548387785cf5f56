// A process killed with SIGKILL mid-stream loses nothing accepted more than 100 ms before the
// kill, leaves a database that passes integrity_check, and its open node is 'interrupted' after
// recovery. The child runs the real writer (bundled with esbuild) on a real file database.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../../scripts/bundle-node.mjs';
import { recoverInterrupted } from './recovery.js';
import { openLogsTestDb, type LogsTestDb } from './testing.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Inside the repo (node_modules/.cache) so the bundle's bare imports (@libsql/client, zod…)
// resolve from the project's node_modules.
const bundleDir = path.resolve(here, '../../../node_modules/.cache/paddock-logs-crash', String(process.pid));
const bundle = path.join(bundleDir, 'writer.mjs');

let t: LogsTestDb;

beforeAll(async () => {
  await bundleForNode(path.join(here, 'writer.ts'), bundle, { logLevel: 'silent' });
  t = await openLogsTestDb();
});

afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(bundleDir, { recursive: true, force: true });
});

interface Run {
  nodeId: string;
  accepted: { n: number; at: number }[];
  killedAt: number;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts the child, lets it stream for `afterReadyMs`, then SIGKILLs it. */
function streamAndKill(sessionId: string, afterReadyMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'crash-child.mjs'), bundle, t.url, sessionId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let nodeId = '';
    let killedAt = 0;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.stdout.on('data', (d: string) => {
      out += d;
      if (!nodeId) {
        const m = /^ready (\S+)\n/m.exec(out);
        if (m) {
          nodeId = m[1]!;
          setTimeout(() => {
            killedAt = Date.now();
            child.kill('SIGKILL');
          }, afterReadyMs);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (!nodeId) return reject(new Error(`child never got ready: ${stderr}`));
      const accepted = [...out.matchAll(/^accepted (\d+) (\d+)$/gm)].map((m) => ({ n: Number(m[1]), at: Number(m[2]) }));
      resolve({ nodeId, accepted, killedAt, signal, stderr });
    });
  });
}

describe('durability under SIGKILL', () => {
  for (const afterReadyMs of [150, 400, 900]) {
    it(`killed ${afterReadyMs} ms into the stream: integrity ok, nothing older than 100 ms lost, node interrupted after recovery`, async () => {
      const sessionId = await t.newSession(`crash ${afterReadyMs}`);
      const run = await streamAndKill(sessionId, afterReadyMs);
      expect(run.signal).toBe('SIGKILL');
      expect(run.stderr).toBe('');
      expect(run.accepted.length).toBeGreaterThan(0);

      // A fresh connection, as the next app start would open it (the WAL is replayed).
      const client = createClient({ url: t.url, intMode: 'number' });
      try {
        const integrity = await client.execute('PRAGMA integrity_check');
        expect(integrity.rows.map((r) => r[0])).toEqual(['ok']);
        await client.execute("INSERT INTO log_fts (log_fts) VALUES ('integrity-check')");

        const chunks = await t.logs.chunks(run.nodeId);
        // What was committed is a gap-free prefix of what was accepted, in order.
        expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
        expect(chunks.map((c) => c.text)).toEqual(chunks.map((_, i) => `d${i};`));
        const mustHave = run.accepted.filter((a) => a.at <= run.killedAt - 100);
        expect(mustHave.length).toBeGreaterThan(0);
        const maxMust = mustHave[mustHave.length - 1]!.n;
        expect(chunks.length).toBeGreaterThanOrEqual(maxMust + 1);
        expect(chunks.length).toBeLessThanOrEqual(run.accepted.length);

        expect((await t.logs.get(run.nodeId))!.status).toBe('streaming');
        const recovered = await recoverInterrupted(client);
        expect(recovered.nodes).toBeGreaterThanOrEqual(1);
        const node = await t.logs.get(run.nodeId);
        expect(node).toMatchObject({ status: 'interrupted', content: chunks.map((c) => c.text).join('') });
        const open = await t.client.execute({
          sql: `SELECT count(*) AS c FROM log_nodes WHERE session_id = ? AND status IN ('streaming', 'running', 'pending_approval', 'approved')`,
          args: [sessionId],
        });
        expect(Number(open.rows[0]!.c)).toBe(0);
      } finally {
        client.close();
      }
    });
  }
});
