// Where LogsRepository.importNodes spends its time: the same 100,000-node session (e2e's
// generator, with chunks) imported into fresh copies of one migrated database, timing the
// validation, the placing and the SQL separately, side by side in one run.
//   node src/main/logs/perf/run.mjs import-sql [-- --nodes 100000 --reps 3]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSession } from '../../../../e2e/support/generate-session.js';
import { sessionExportSchema } from '../../../shared/ipc/export-format.js';
import { locationFromPath, openClient } from '../../db/connection.js';
import { openDatabase } from '../../db/database.js';
import { AgentsRepository } from '../../repositories/agents.js';
import { SessionsRepository } from '../../repositories/sessions.js';
import { LogsRepository, type ImportLogNode } from '../index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const n = arg('nodes', 100_000);
  const reps = arg('reps', 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-perf-import-'));
  const template = path.join(dir, 'template.db');
  const db = await openDatabase({ location: locationFromPath(template), backup: false });
  const agent = await new AgentsRepository(db.client).create({ name: 'perf' });
  const sessionId = (await new SessionsRepository(db.client).create({ agentId: agent.id, name: 'perf' })).id;
  await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.close();

  const gen = generateSession({ nodes: n, maxDepth: 8, seed: 7, chunks: true, validate: false });
  const text = JSON.stringify(gen.data);
  const chunksByNode = new Map<string, { text: string; atMs: number }[]>();
  for (const c of gen.data.chunks) {
    let l = chunksByNode.get(c.nodeId);
    if (!l) chunksByNode.set(c.nodeId, (l = []));
    l.push({ text: c.text, atMs: c.atMs });
  }
  const nodes: ImportLogNode[] = gen.data.nodes.map((x) => ({ ...x, role: x.role as ImportLogNode['role'], chunks: chunksByNode.get(x.id) }));

  const parseMs: number[] = [], schemaMs: number[] = [], importMs: number[] = [], importCpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    let t0 = performance.now();
    JSON.parse(text);
    parseMs.push(performance.now() - t0);
    t0 = performance.now();
    const ok = sessionExportSchema.safeParse(gen.data).success;
    schemaMs.push(performance.now() - t0);
    if (!ok) throw new Error('generated session does not validate');

    const file = path.join(dir, `run${r}.db`);
    fs.copyFileSync(template, file);
    const client = await openClient(locationFromPath(file), { concurrency: 1 });
    if (process.env.IMPORT_PRAGMA) await client.execute(process.env.IMPORT_PRAGMA);
    (globalThis as { gc?: () => void }).gc?.();
    t0 = performance.now();
    const c0 = process.cpuUsage();
    await new LogsRepository(client).importNodes(sessionId, nodes, { newIds: false });
    const c = process.cpuUsage(c0);
    importMs.push(performance.now() - t0);
    importCpu.push((c.user + c.system) / 1000);
    client.close();
  }
  const f = (xs: number[]) => `${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(' / ')})`;
  console.log(`${n} nodes, ${gen.data.chunks.length} chunks, ${(text.length / 1e6).toFixed(1)} MB`);
  console.log(`JSON.parse of the file:           ${f(parseMs)}`);
  console.log(`sessionExportSchema.safeParse:    ${f(schemaMs)}`);
  console.log(`LogsRepository.importNodes:       ${f(importMs)} wall, ${f(importCpu)} CPU`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
