// Benchmarks 1 (ingest throughput) and 2 (durability window).
//
// Per repetition, on fresh copies of one template database (migrated, sessions seeded):
//   P  the generated event stream through Paddock's LogWriter (LogWriter.open, as the app does);
//   a  the raw engine limit: the same final rows in one transaction (json_each and multi-VALUES;
//      the faster is the limit);
//   b  seed 004's pattern and c seed 002's pattern (lib/patterns.ts).
// Every pattern must leave a byte-identical log (digest), or the run fails. All run with the
// writer's connection settings (WAL, synchronous = NORMAL), which favours b and c: with the
// seeds' own defaults (FULL) every one of their commits would also wait for an fsync.
// Throughput = generated events / wall time until everything is committed. The durability
// window is measured on P's runs: from each event handed to the writer to the commit holding it.

import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Client } from '@libsql/client';
import Driver from 'libsql';
import { locationFromPath, openClient } from '../src/main/db/connection.js';
import { LogWriter } from '../src/main/logs/index.js';
import { checkpoint, createBenchDb, digest, fileBytes, readFinalRows, tempDir, type FinalRows } from './lib/db.js';
import { figure, type BenchOutput, type Figure } from './lib/figures.js';
import { applier, commitRecorder, feed } from './lib/paddock.js';
import { rawAtCommits, rawDriverJsonEach, rawJsonEach, rawMultiValues, seed002, seed004, type CommitShape, type DriverDatabase } from './lib/patterns.js';
import { summarize } from './lib/stats.js';
import { generateWorkload, type Workload } from './lib/workload.js';

export interface IngestOptions {
  events: number;
  reps: number;
  seed: number;
  sessions: number;
  /** Seconds of the paced (live-speed) durability run; 0 skips it. */
  pacedSeconds: number;
  /** Events per second across all sessions in the paced run. */
  pacedRate: number;
  /** Statements replayed for the seeds-as-shipped variant (0 skips it). */
  asShippedLimit: number;
}

async function openLikeWriter(file: string): Promise<Client> {
  const client = await openClient(locationFromPath(file), { concurrency: 1 });
  await client.execute('PRAGMA synchronous = NORMAL');
  return client;
}

/**
 * Collects garbage before a timed section (run.mjs starts Node with --expose-gc), so one
 * pattern's leftovers never stall another's clock. The turns of the event loop matter: the
 * libsql statements a pattern prepared are native objects freed by finalizers after the GC, and
 * after seed 002's 30,000 executes that took 0.6–2 s on this machine, which had landed on the
 * first commit of the next Paddock run.
 */
export async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 2; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function timed(fn: () => Promise<void>): Promise<number> {
  await settle();
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

interface PaddockRun {
  ms: number;
  rows: FinalRows;
  digest: string;
  /** File bytes minus freeBytes (pages on the free list after the run). */
  bytes: number;
  freeBytes: number;
  lags: number[];
  flushes: number;
  shapes: CommitShape[];
  idOf: (key: number) => string;
  /** Diagnostics: the slowest commits and how long the event loop was blocked. */
  worst: unknown[];
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  dbstat: Record<string, number>;
}

async function runPaddock(template: string, sessionIds: string[], w: Workload, seed: number): Promise<PaddockRun> {
  const dir = tempDir();
  const file = path.join(dir, 'paddock.db');
  fs.copyFileSync(template, file);
  const writer = await LogWriter.open(locationFromPath(file));
  const errors: string[] = [];
  writer.on('error', (e) => errors.push(e.message));
  const rec = commitRecorder(writer);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  await settle();
  loop.enable();
  const t0 = performance.now();
  const fed = await feed(writer, sessionIds, w.events, seed);
  await writer.flush();
  const ms = performance.now() - t0;
  loop.disable();
  rec.stop();
  const flushes = writer.stats().flushes;
  await writer.close();
  if (fed.refused > 0 || errors.length > 0) throw new Error(`Paddock's writer refused ${fed.refused} events: ${errors.slice(0, 3).join('; ')}`);
  const client = await openLikeWriter(file);
  await checkpoint(client);
  const rows = await readFinalRows(client);
  const d = await digest(client);
  const stat = await client.execute('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC');
  // Pages the folded chunk rows left free: the next writes reuse them (and incremental vacuum
  // gives them back), so they are space held, not space the log takes. Reported apart.
  const free = await client.execute('SELECT (SELECT freelist_count FROM pragma_freelist_count) * (SELECT page_size FROM pragma_page_size) AS b');
  client.close();
  const freeBytes = Number(free.rows[0]?.b ?? 0);
  const bytes = fileBytes(file) - freeBytes;
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    ms, rows, digest: d, bytes, freeBytes, lags: rec.lags(fed.acceptedAt), flushes, shapes: rec.shapes, idOf: fed.idOf,
    worst: rec.worst(5),
    loopDelayMaxMs: loop.max / 1e6,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    dbstat: Object.fromEntries(stat.rows.map((r) => [String(r.name), Number(r.bytes)])),
  };
}

/**
 * Diagnostic: the whole stream handed to the writer in one turn of the event loop, so it commits
 * in as few transactions as its buffer allows. The gap between this and the streamed run is the
 * cost of committing often; the gap between this and (a) is the writer's own per-event cost.
 */
async function runPaddockOneTurn(template: string, sessionIds: string[], w: Workload): Promise<{ ms: number; commits: number }> {
  const dir = tempDir();
  const file = path.join(dir, 'paddock.db');
  fs.copyFileSync(template, file);
  const writer = await LogWriter.open(locationFromPath(file));
  const { apply } = applier(writer, sessionIds);
  await settle();
  const t0 = performance.now();
  for (const e of w.events) apply(e);
  await writer.flush();
  const ms = performance.now() - t0;
  const commits = writer.stats().flushes;
  await writer.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { ms, commits };
}

/**
 * Runs one write pattern on a fresh copy of the template, timed, then checks it left exactly
 * Paddock's log. `open` connects the pattern's way and returns the timed work and a closer.
 */
async function measurePattern(
  template: string,
  expectDigest: string,
  name: string,
  open: (file: string) => Promise<{ run: () => Promise<void>; close: () => void }>,
): Promise<{ ms: number; bytes: number }> {
  const dir = tempDir();
  const file = path.join(dir, 'paddock.db');
  fs.copyFileSync(template, file);
  const conn = await open(file);
  const ms = await timed(conn.run);
  conn.close();
  const client = await openLikeWriter(file);
  await checkpoint(client);
  const d = await digest(client);
  client.close();
  const bytes = fileBytes(file);
  fs.rmSync(dir, { recursive: true, force: true });
  if (d !== expectDigest) throw new Error(`pattern ${name} left different rows than Paddock (digest ${d} ≠ ${expectDigest})`);
  return { ms, bytes };
}

function runPattern(template: string, expectDigest: string, name: string, fn: (c: Client) => Promise<void>): Promise<{ ms: number; bytes: number }> {
  return measurePattern(template, expectDigest, name, async (file) => {
    const client = await openLikeWriter(file);
    return { run: () => fn(client), close: () => client.close() };
  });
}

/** A pattern run on the `libsql` driver directly (a3), with the writer's settings. */
function runDriverPattern(template: string, expectDigest: string, name: string, fn: (db: DriverDatabase) => void): Promise<{ ms: number; bytes: number }> {
  return measurePattern(template, expectDigest, name, async (file) => {
    const db = new Driver(file, { timeout: 5_000 }) as DriverDatabase;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return { run: async () => fn(db), close: () => db.close() };
  });
}

/**
 * The seeds as they shipped: rollback journal (libsql's and Python's default) and
 * synchronous = FULL, so every autocommit waits for the disk. Too slow to replay everything
 * inside the time budget, so the first `limit` statements' rate is extrapolated to the run.
 */
async function runAsShipped(template: string, w: Workload, p: PaddockRun, limit: number): Promise<{ b: number; c: number }> {
  const one = async (fn: (c: Client) => Promise<number>): Promise<number> => {
    const dir = tempDir();
    const file = path.join(dir, 'paddock.db');
    fs.copyFileSync(template, file);
    const client = await openClient(locationFromPath(file), { concurrency: 1 });
    await client.execute('PRAGMA journal_mode = DELETE');
    await client.execute('PRAGMA synchronous = FULL');
    const ms = await fn(client);
    client.close();
    fs.rmSync(dir, { recursive: true, force: true });
    return ms;
  };
  const n = w.events.length;
  const bPrefix = w.events.slice(0, limit);
  const bMs = await one((c) => timed(() => seed004(c, bPrefix, p.rows, p.idOf)));
  const totalRows = p.rows.nodes.length + p.rows.chunks.length;
  let cRows = 0;
  const cMs = await one(async (c) => {
    // The first nodes (with their chunks) up to `limit` rows.
    const nodes: typeof p.rows.nodes = [];
    for (const node of p.rows.nodes) {
      nodes.push(node);
      cRows += 1 + p.rows.chunks.filter((x) => x.node_id === node.id).length;
      if (cRows >= limit) break;
    }
    const ids = new Set(nodes.map((x) => x.id));
    return timed(() => seed002(c, { nodes, chunks: p.rows.chunks.filter((x) => ids.has(x.node_id)) }));
  });
  // events/s of the whole run, extrapolated from the prefix's pace.
  return { b: n / (((bMs / bPrefix.length) * n) / 1000), c: n / (((cMs / cRows) * totalRows) / 1000) };
}

/** Events at a live pace (pacedRate/s across sessions) for `seconds`: the everyday durability window. */
async function runPaced(template: string, sessionIds: string[], opts: IngestOptions): Promise<number[]> {
  const dir = tempDir();
  const file = path.join(dir, 'paddock.db');
  fs.copyFileSync(template, file);
  const count = Math.round(opts.pacedRate * opts.pacedSeconds);
  const w = generateWorkload({ seed: opts.seed + 99, events: count, sessions: opts.sessions });
  const writer = await LogWriter.open(locationFromPath(file));
  const rec = commitRecorder(writer);
  await settle();
  const { apply } = applier(writer, sessionIds);
  const acceptedAt = new Float64Array(w.events.length);
  const start = performance.now();
  // Every 5 ms, hand over the events due by now (a steady stream, not one burst per second).
  for (let i = 0; i < w.events.length; ) {
    const due = Math.min(w.events.length, Math.floor(((performance.now() - start) / 1000) * opts.pacedRate) + 1);
    for (; i < due; i++) {
      acceptedAt[i] = performance.timeOrigin + performance.now();
      apply(w.events[i]!);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await writer.flush();
  rec.stop();
  await writer.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return rec.lags(acceptedAt);
}

/** What delivering the stream costs by itself (same slicing, a writer that does nothing). */
async function harnessOnlyMs(w: Workload, seed: number): Promise<number> {
  let k = 0;
  const nullWriter = { startNode: () => `n${k++}`, appendDelta: () => true, updateToolStatus: () => true, finishNode: () => true } as unknown as LogWriter;
  await settle();
  const t0 = performance.now();
  await feed(nullWriter, ['s'], w.events, seed);
  return performance.now() - t0;
}

/** Bytes per 1,000 events of the log tables, from dbstat (the note of the bytes figure). */
function tableBytes(dbstat: Record<string, number>, events: number): string {
  const per1k = (name: string) => Math.round(((dbstat[name] ?? 0) / events) * 1000).toLocaleString('en');
  const fts = Object.entries(dbstat).filter(([k]) => k.startsWith('log_fts')).reduce((a, [, v]) => a + v, 0);
  return `log_nodes ${per1k('log_nodes')}, full-text index ${Math.round((fts / events) * 1000).toLocaleString('en')}, log_timings ${per1k('log_timings')}, log_chunks ${per1k('log_chunks')}`;
}

export async function runIngest(opts: IngestOptions): Promise<BenchOutput> {
  const w = generateWorkload({ seed: opts.seed, events: opts.events, sessions: opts.sessions });
  const harnessMs = await harnessOnlyMs(w, opts.seed);
  const tdir = tempDir();
  const t = await createBenchDb(opts.sessions, tdir);
  await checkpoint(t.client);
  await t.close();
  const template = t.file;
  const templateBytes = fileBytes(template);
  const sessionIds = t.ids.sessionIds;

  const n = w.events.length;
  const rate = (ms: number) => n / (ms / 1000);
  const AC: number[] = [], vsAC: number[] = [], acVsA: number[] = [];
  const A3: number[] = [];
  const P: number[] = [], A: number[] = [], A1: number[] = [], A2: number[] = [], B: number[] = [], C: number[] = [];
  const vsA: number[] = [], vsB: number[] = [], vsC: number[] = [];
  const freePer1k: number[] = [];
  const bytesPer1k: number[] = [], oldBytesPer1k: number[] = [], bytesVsPayload: number[] = [];
  let asShipped: { b: number; c: number } | null = null;
  const oneTurn: number[] = [];
  let oneTurnCommits = 0;
  const diagnostics: unknown[] = [];
  let dbstat: Record<string, number> = {};
  const lags: number[] = [];
  let flushes = 0;
  let rowsCount = { nodes: 0, chunks: 0 };
  let lastDigest = '';
  for (let r = 0; r < opts.reps; r++) {
    const p = await runPaddock(template, sessionIds, w, opts.seed + r);
    lastDigest = p.digest;
    rowsCount = { nodes: p.rows.nodes.length, chunks: p.rows.chunks.length };
    const a1 = await runPattern(template, p.digest, 'a/json_each', (c) => rawJsonEach(c, p.rows));
    const a2 = await runPattern(template, p.digest, 'a/multi-values', (c) => rawMultiValues(c, p.rows));
    const a3 = await runDriverPattern(template, p.digest, 'a/driver json_each', (db) => rawDriverJsonEach(db, p.rows));
    const ac = await runPattern(template, p.digest, "a'/at-paddock-commits", rawAtCommits(p.rows, p.shapes));
    const b = await runPattern(template, p.digest, 'b/seed004', (c) => seed004(c, w.events, p.rows, p.idOf));
    const c = await runPattern(template, p.digest, 'c/seed002', (c) => seed002(c, p.rows));
    const one = await runPaddockOneTurn(template, sessionIds, w);
    oneTurn.push(rate(one.ms));
    oneTurnCommits = one.commits;
    const aMs = Math.min(a1.ms, a2.ms, a3.ms);
    A3.push(rate(a3.ms));
    P.push(rate(p.ms));
    A1.push(rate(a1.ms));
    A2.push(rate(a2.ms));
    A.push(rate(aMs));
    B.push(rate(b.ms));
    C.push(rate(c.ms));
    vsA.push(aMs / p.ms);
    AC.push(rate(ac.ms));
    vsAC.push(ac.ms / p.ms);
    acVsA.push(aMs / ac.ms);
    vsB.push(b.ms / p.ms);
    vsC.push(c.ms / p.ms);
    bytesPer1k.push(((p.bytes - templateBytes) / n) * 1000);
    bytesVsPayload.push((p.bytes - templateBytes) / w.payloadBytes);
    freePer1k.push((p.freeBytes / n) * 1000);
    // (a1) stores every delta as its own row, as Paddock did before 0030_log_spans.
    oldBytesPer1k.push(((a1.bytes - templateBytes) / n) * 1000);
    lags.push(...p.lags);
    flushes += p.flushes;
    diagnostics.push({ rep: r, paddockMs: Math.round(p.ms), commits: p.flushes, loopDelayMaxMs: p.loopDelayMaxMs, loopDelayP99Ms: p.loopDelayP99Ms, worstCommits: p.worst });
    dbstat = p.dbstat;
    if (r === 0 && opts.asShippedLimit > 0) asShipped = await runAsShipped(template, w, p, opts.asShippedLimit);
  }
  const paced = opts.pacedSeconds > 0 ? await runPaced(template, sessionIds, opts) : [];
  fs.rmSync(tdir, { recursive: true, force: true });

  const ctx = `${n.toLocaleString('en')} events → ${rowsCount.nodes.toLocaleString('en')} nodes + ${rowsCount.chunks.toLocaleString('en')} chunk rows`;
  const med = (xs: number[]) => summarize(xs).median;
  const G1 = '1 Ingest';
  const G2 = '2 Durability';
  const figures: Figure[] = [
    figure({ id: 'ingest.paddock_vs_raw', group: G1, label: 'Paddock ÷ raw engine limit (a)', unit: '×', target: { op: '>=', value: 0.85 },
      meaning: 'How close recording a live session comes to the fastest the database can store the same rows at all; 1.0 would mean the writer adds no cost of its own.',
      note: `${ctx}; Paddock ${Math.round(med(P)).toLocaleString('en')} events/s vs ${Math.round(med(A)).toLocaleString('en')} events/s; delivering the stream alone (no writer) takes ${harnessMs.toFixed(0)} ms of Paddock's ${Math.round((n / med(P)) * 1000)} ms` }, vsA),
    figure({ id: 'ingest.paddock_vs_seed004', group: G1, label: 'Paddock ÷ seed 004 (b)', unit: '×', target: { op: '>=', value: 30 },
      meaning: 'How many times more streaming agents Paddock can record at once than a design that rewrites the whole message and commits on every delta.',
      note: `seed 004 pattern ${Math.round(med(B)).toLocaleString('en')} events/s` }, vsB),
    figure({ id: 'ingest.paddock_vs_seed002', group: G1, label: 'Paddock ÷ seed 002 (c)', unit: '×', target: { op: '>=', value: 30 },
      meaning: 'The same against a design that commits every log row on its own.',
      note: `seed 002 pattern ${Math.round(med(C)).toLocaleString('en')} events/s` }, vsC),
    figure({ id: 'ingest.paddock_events_per_s', group: G1, label: 'Paddock throughput (context)', unit: 'events/s',
      meaning: 'Agent events (deltas, node starts, ends) Paddock can record per second on this machine; one streaming model produces roughly 50–200 a second.', note: ctx }, P),
    figure({ id: 'ingest.raw_events_per_s', group: G1, label: 'raw engine limit (a) throughput (context)', unit: 'events/s',
      meaning: 'The same rows inserted in one transaction with no write path at all.',
      note: `json_each ${Math.round(med(A1)).toLocaleString('en')}/s, multi-row VALUES ${Math.round(med(A2)).toLocaleString('en')}/s, json_each on the libsql driver directly ${Math.round(med(A3)).toLocaleString('en')}/s; the fastest of the three per repetition` }, A),
    figure({ id: 'ingest.paddock_one_turn_events_per_s', group: G1, label: 'Paddock, whole stream in one turn (diagnostic)', unit: 'events/s',
      meaning: 'The same writer when every event arrives at once and it can commit in a few big transactions: what its own per-event work costs, without the cost of committing often.',
      note: `${oneTurnCommits} commit${oneTurnCommits === 1 ? '' : 's'} instead of ~${Math.round(flushes / opts.reps)}; ${(med(oneTurn) / med(A)).toFixed(2)}× the raw limit` }, oneTurn),
    figure({ id: 'ingest.raw_at_paddock_commits_events_per_s', group: G1, label: "raw engine at Paddock's commit boundaries (a′, diagnostic)", unit: 'events/s',
      meaning: 'The fastest plain insert of the same rows when it must commit as often as the write path does (at once on node ends, at most every 50 ms): what the commit policy itself costs the engine.',
      note: `${Math.round(flushes / opts.reps)} transactions, each holding the final rows Paddock's commit first wrote; ${med(acVsA).toFixed(2)}× the one-transaction limit (a); Paddock ÷ (a′) ${med(vsAC).toFixed(2)}×` }, AC),
    figure({ id: 'ingest.db_bytes_per_1k_events', group: G1, label: 'database bytes per 1,000 events (pages in use)', unit: 'bytes',
      meaning: 'Disk space a recorded session takes: what a day of heavy agent use costs in storage.',
      note: `payload (text + JSON carried by the events) is ${Math.round((w.payloadBytes / n) * 1000).toLocaleString('en')} bytes per 1,000 events; the rest is the tree, the deltas' sizes and timings and the full-text index (${tableBytes(dbstat, n)}); pages in use, not counting ${Math.round(med(freePer1k)).toLocaleString('en')} bytes per 1,000 events of free pages the run left in the file (reused by the next writes)` }, bytesPer1k),
    figure({ id: 'ingest.db_bytes_vs_payload', group: G1, label: 'database bytes ÷ payload', unit: '×', target: { op: '<=', value: 1.5 },
      meaning: 'How many bytes on disk each byte of streamed text and JSON costs, timing for exact replay and search index included.',
      note: 'streamed text is stored once (in the node), each delta as its size and timing packed in varints (0030_log_spans, 0100_log_timings)' }, bytesVsPayload),
    figure({ id: 'ingest.db_bytes_per_1k_events_old_layout', group: G1, label: 'database bytes per 1,000 events, text stored twice (before, context)', unit: 'bytes',
      meaning: 'The same stream stored the way Paddock did before 0030_log_spans: every delta also kept as its own row beside the assembled text.',
      note: `measured on pattern (a1)'s file, which writes the deltas as rows; ${(med(oldBytesPer1k) / med(bytesPer1k)).toFixed(2)}× today's figure` }, oldBytesPer1k),
  ];
  if (asShipped) {
    const pMed = med(P);
    figures.push(
      figure({ id: 'ingest.paddock_vs_seed004_as_shipped', group: G1, label: 'Paddock ÷ seed 004 as shipped (context)', unit: '×',
        meaning: 'The same comparison with seed 004 on its own settings (rollback journal, synchronous = FULL): every delta waits for the disk.',
        note: `${Math.round(asShipped.b).toLocaleString('en')} events/s, extrapolated from its first ${opts.asShippedLimit.toLocaleString('en')} events; one sample` }, [pMed / asShipped.b]),
      figure({ id: 'ingest.paddock_vs_seed002_as_shipped', group: G1, label: 'Paddock ÷ seed 002 as shipped (context)', unit: '×',
        meaning: 'The same with seed 002 on libsql\'s defaults (rollback journal, synchronous = FULL).',
        note: `${Math.round(asShipped.c).toLocaleString('en')} events/s, extrapolated from its first ${opts.asShippedLimit.toLocaleString('en')} rows; one sample` }, [pMed / asShipped.c]),
    );
  }
  figures.push(
    figure({ id: 'durability.saturated', group: G2, label: 'accepted → committed, under full ingest load', unit: 'ms', target: { op: '<=', value: 100 }, judgedOn: 'max',
      meaning: 'The most a user can lose if Paddock is killed while agents stream flat out: events younger than this may not be on disk yet.',
      note: `every event of the ingest runs (${opts.reps} × ${n.toLocaleString('en')}), ${flushes.toLocaleString('en')} commits` }, lags, { percentiles: true })
  );
  if (paced.length > 0) {
    figures.push(figure({ id: 'durability.paced', group: G2, label: `accepted → committed, live pace (${opts.pacedRate} events/s)`, unit: 'ms', target: { op: '<=', value: 100 }, judgedOn: 'max',
      meaning: 'The same window at the pace of a few agents streaming normally: the 50 ms group-commit interval dominates.',
      note: `${paced.length.toLocaleString('en')} events over ${opts.pacedSeconds} s` }, paced, { percentiles: true }));
  }
  return {
    name: 'ingest',
    figures,
    context: {
      workload: { seed: opts.seed, events: n, nodes: w.nodes, deltas: w.deltas, sessions: w.sessions, payloadBytes: w.payloadBytes },
      rows: rowsCount,
      digest: lastDigest,
      reps: opts.reps,
      eventsPerSecond: { paddock: P, rawJsonEach: A1, rawMultiValues: A2, rawDriverJsonEach: A3, seed004: B, seed002: C },
      settings: 'WAL, synchronous=NORMAL, one connection per pattern, same migrated schema (FTS + triggers)',
      asShipped,
      harnessOnlyMs: harnessMs,
      paddockRuns: diagnostics,
      dbBytesByObject: dbstat,
    },
  };
}
