// The ingest gap, side by side in one run: bench/'s generated agent stream through LogWriter
// (fed 1–16 events per macrotask, as bench/ingest.ts does), the same stream handed over in one
// turn, and the raw engine limit (the same final rows in one transaction, json_each and
// multi-row VALUES). Uses bench/lib's workload, feeder and raw patterns so the figures match
// what `npm run bench` measures; reports wall time and this process's CPU time (the machine is
// shared: CPU time is the steadier figure), and ratios against the raw limit.
//   node src/main/logs/perf/run.mjs ingest [-- --events 30000 --reps 5]
//   node src/main/logs/perf/run.mjs ingest --cpu-prof --cpu-prof-dir=/tmp/prof -- --only paddock

import fs from 'node:fs';
import path from 'node:path';
import { applier, commitRecorder, feed } from '../../../../bench/lib/paddock.js';
import { rawJsonEach, rawMultiValues } from '../../../../bench/lib/patterns.js';
import { checkpoint, createBenchDb, readFinalRows, tempDir, type FinalRows } from '../../../../bench/lib/db.js';
import { generateWorkload } from '../../../../bench/lib/workload.js';
import { locationFromPath, openClient } from '../../db/connection.js';
import { LogWriter } from '../index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

interface Sample {
  wall: number;
  cpu: number;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function measure(fn: () => Promise<void>): Promise<Sample> {
  await settle();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

// eslint-disable-next-line max-lines-per-function -- a measuring script read top to bottom: set-up, the runs side by side, the report
async function main(): Promise<void> {
  const events = Number(arg('events', '30000'));
  const reps = Number(arg('reps', '5'));
  const only = arg('only', 'paddock,oneTurn,raw').split(',');
  const w = generateWorkload({ seed: 42, events, sessions: 2 });
  const tdir = tempDir();
  const t = await createBenchDb(2, tdir);
  await checkpoint(t.client);
  await t.close();
  const sessionIds = t.ids.sessionIds;

  const fresh = (): { dir: string; file: string } => {
    const dir = tempDir();
    const file = path.join(dir, 'paddock.db');
    fs.copyFileSync(t.file, file);
    return { dir, file };
  };
  const results: Record<string, Sample[]> = {};
  const push = (k: string, s: Sample) => (results[k] ??= []).push(s);
  let rows: FinalRows | null = null;
  let flushes = 0;
  const lagLines: string[] = [];

  for (let r = 0; r < reps; r++) {
    if (only.includes('paddock') || rows === null) {
      const { dir, file } = fresh();
      const writer = await LogWriter.open(locationFromPath(file));
      // The app always listens (publishLogCommit); so does the bench (durability recorder).
      const rec = commitRecorder(writer);
      let acceptedAt: Float64Array = new Float64Array(0);
      const s = await measure(async () => {
        acceptedAt = (await feed(writer, sessionIds, w.events, 42 + r)).acceptedAt;
        await writer.flush();
      });
      rec.stop();
      if (process.env.SHOW_COMMITS) {
        const t0 = rec.commits[0]!.acceptedFrom;
        console.log(rec.commits.map((c) => `${c.ops}@${(c.acceptedFrom - t0).toFixed(0)}→${(c.committedAt - t0).toFixed(0)}`).join(' '));
      }
      const lags = rec.lags(acceptedAt).sort((a, b) => a - b);
      lagLines.push(`p50 ${lags[Math.floor(lags.length / 2)]!.toFixed(1)} p99 ${lags[Math.floor(lags.length * 0.99)]!.toFixed(1)} max ${lags.at(-1)!.toFixed(1)} ms`);
      flushes = writer.stats().flushes;
      await writer.close();
      if (only.includes('paddock')) push('paddock', s);
      if (rows === null) {
        const c = await openClient(locationFromPath(file));
        rows = await readFinalRows(c);
        c.close();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (only.includes('diag')) {
      // Where a streamed run's time goes: inside client.batch (per statement kind) or outside.
      const { dir, file } = fresh();
      const client = await openClient(locationFromPath(file), { concurrency: 1 });
      await client.execute('PRAGMA synchronous = NORMAL');
      // DIAG_SQL: ';'-separated statements run on the copy first (pragmas, dropped triggers...).
      for (const sql of (process.env.DIAG_SQL ?? '').split(';').filter((x) => x.trim())) await client.execute(sql);
      const inBatch: Record<string, number> = {};
      const orig = client.batch.bind(client);
      let batchMs = 0;
      (client as { batch: unknown }).batch = async (stmts: { sql: string }[], mode: 'write') => {
        const t0 = performance.now();
        const r = await orig(stmts, mode);
        batchMs += performance.now() - t0;
        for (const st of stmts) {
          const k = st.sql.trim().slice(0, 22).replace(/\s+/g, ' ');
          inBatch[k] = (inBatch[k] ?? 0) + 1;
        }
        return r;
      };
      const writer = new LogWriter(client);
      writer.on('commit', () => undefined);
      const s = await measure(async () => {
        await feed(writer, sessionIds, w.events, 42 + r);
        await writer.flush();
      });
      await writer.close();
      client.close();
      push('diag', s);
      console.log(`diag: total ${s.wall.toFixed(0)} ms, in batch ${batchMs.toFixed(0)} ms; statements ${JSON.stringify(inBatch)}`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (only.includes('oneTurn')) {
      const { dir, file } = fresh();
      const writer = await LogWriter.open(locationFromPath(file));
      writer.on('commit', () => undefined);
      const { apply } = applier(writer, sessionIds);
      push('oneTurn', await measure(async () => {
        for (const e of w.events) apply(e);
        await writer.flush();
      }));
      await writer.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (only.includes('rawCommits')) {
      // Diagnostic: the same final rows in as many transactions as Paddock commits (rows in
      // insertion order, split evenly): what the engine itself charges for committing that often.
      const { dir, file } = fresh();
      const c = await openClient(locationFromPath(file), { concurrency: 1 });
      await c.execute('PRAGMA synchronous = NORMAL');
      const all = rows!;
      const chunksOf = new Map<string, typeof all.chunks>();
      for (const ch of all.chunks) {
        const k = String(ch.node_id);
        chunksOf.set(k, [...(chunksOf.get(k) ?? []), ch]);
      }
      const units = all.nodes.map((n) => ({ nodes: [n], chunks: chunksOf.get(String(n.id)) ?? [] }));
      const perCommit = Math.max(1, Math.round((all.nodes.length + all.chunks.length) / Math.max(1, flushes)));
      const groups: FinalRows[] = [];
      let cur: FinalRows = { nodes: [], chunks: [] };
      for (const u of units) {
        for (const ch of u.chunks.length > 0 ? u.chunks : [null]) {
          if (cur.nodes.length === 0 || cur.nodes[cur.nodes.length - 1] !== u.nodes[0]) cur.nodes.push(u.nodes[0]!);
          if (ch) cur.chunks.push(ch);
          if (cur.nodes.length + cur.chunks.length >= perCommit) {
            groups.push(cur);
            cur = { nodes: [], chunks: [] };
          }
        }
      }
      if (cur.nodes.length > 0) groups.push(cur);
      // A node split across groups is inserted once (with the group where it first appears).
      const seen = new Set<unknown>();
      for (const g of groups) g.nodes = g.nodes.filter((n) => !seen.has(n) && seen.add(n));
      push('rawCommits', await measure(async () => {
        for (const g of groups) await rawJsonEach(c, g);
      }));
      c.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (only.includes('raw')) {
      for (const [name, fn] of [['rawJsonEach', rawJsonEach], ['rawMultiValues', rawMultiValues]] as const) {
        const { dir, file } = fresh();
        const c = await openClient(locationFromPath(file), { concurrency: 1 });
        await c.execute('PRAGMA synchronous = NORMAL');
        const finalRows = rows!;
        push(name, await measure(() => fn(c, finalRows)));
        c.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  fs.rmSync(tdir, { recursive: true, force: true });

  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${w.events.length} events → ${rows!.nodes.length} nodes + ${rows!.chunks.length} chunks; Paddock commits per run: ${flushes}`);
  if (lagLines.length > 0) console.log(`Paddock accepted → committed per run: ${lagLines.join('; ')}`);
  // Per repetition, the faster raw pattern is the limit (as in bench/ingest.ts).
  const raw = (i: number, k: 'wall' | 'cpu') => Math.min(results.rawJsonEach?.[i]?.[k] ?? Infinity, results.rawMultiValues?.[i]?.[k] ?? Infinity);
  for (const [name, xs] of Object.entries(results)) {
    const line = [`${name.padEnd(15)} wall ${med(xs.map((x) => x.wall)).toFixed(0).padStart(5)} ms  cpu ${med(xs.map((x) => x.cpu)).toFixed(0).padStart(5)} ms`];
    if (results.rawJsonEach && (name === 'paddock' || name === 'oneTurn' || name === 'rawCommits')) {
      line.push(`  raw÷this: wall ${med(xs.map((x, i) => raw(i, 'wall') / x.wall)).toFixed(2)}  cpu ${med(xs.map((x, i) => raw(i, 'cpu') / x.cpu)).toFixed(2)}`);
    }
    console.log(line.join(''));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
