// Benchmark: session import and export through the interchange modules, side by side with the
// raw engine doing the same work (bulk-inserting the same final rows in one transaction; reading
// the same rows page by page and writing them as JSON lines), and the extra memory of importing
// a big Claude Code file streamed.
//
//   Export   paddock / ag-ui / otlp / markdown of an N-node session, nodes per second
//   Import   the Paddock JSON written above, and an AG-UI file, into a fresh database, nodes/s
//   Raw      the same final rows (read back from the import) inserted with json_each in one
//            transaction, and the same rows read and written as JSON lines
//   Memory   peak RSS above the baseline while importing a Claude Code file of `bigBytes`
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@libsql/client';
import { runExport, type ExportDeps } from '../src/main/interchange/export/index.js';
import { TextOut } from '../src/main/interchange/export/out.js';
import { runImport, type ImportDeps } from '../src/main/interchange/import/index.js';
import { LogsRepository } from '../src/main/logs/index.js';
import { INSERT_NODE_ROWS_SQL } from '../src/main/logs/import.js';
import { AgentsRepository } from '../src/main/repositories/agents.js';
import { ImportsRepository } from '../src/main/repositories/imports.js';
import { InterchangeRepository } from '../src/main/repositories/interchange.js';
import { SessionsRepository } from '../src/main/repositories/sessions.js';
import { checkpoint, createBenchDb, openCopy, tempDir, type BenchDb } from './lib/db.js';
import { figure, type BenchOutput, type Figure } from './lib/figures.js';
import { NODES_PER_TURN, generateTree, writeClaudeCodeFile } from './interchange-data.js';
import { settle } from './ingest.js';

export interface InterchangeOptions {
  turns: number;
  reps: number;
  /** Size of the Claude Code file for the memory run (0 skips it). */
  bigBytes: number;
}

const NODE_COLUMNS = 'id, session_id, parent_id, cause_id, seq, depth, path, kind, role, status, content, metadata, model, provider, tokens_in, tokens_out, tokens_reasoning, cost_usd, started_at, ended_at, tool_name, tool_args, tool_result, duration_ms';

function deps(client: Client): { importDeps: ImportDeps; exportDeps: ExportDeps } {
  const interchange = new InterchangeRepository(client);
  const agents = new AgentsRepository(client);
  return {
    importDeps: { client, imports: new ImportsRepository(client), agents, interchange },
    exportDeps: { client, sessions: new SessionsRepository(client), agents, interchange },
  };
}

function log(line: string): void {
  process.stderr.write(`[interchange] ${line}\n`);
}

/**
 * Wall time and this process's CPU time of one step. Everything the step does (the engine is
 * in-process and synchronous) is CPU of this process, so on a machine shared with other work
 * the CPU figure measures the work itself, while wall time measures also the waiting for a core.
 */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  await settle();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}

/**
 * The raw engine: the same final rows, one transaction, batches of 4,000 through the fastest
 * statement measured (one JSON parameter, each row made JSONB once: INSERT_NODE_ROWS_SQL).
 */
async function rawInsert(client: Client, rows: unknown[][]): Promise<void> {
  const tx = await client.transaction('write');
  try {
    for (let i = 0; i < rows.length; i += 4_000) await tx.execute({ sql: INSERT_NODE_ROWS_SQL, args: [JSON.stringify(rows.slice(i, i + 4_000))] });
    await tx.commit();
  } finally {
    tx.close();
  }
}

/** The raw engine reading: pages of rows in tree order, each written as a JSON line. */
async function rawRead(client: Client, sessionId: string, file: string): Promise<number> {
  const out = TextOut.toFile(file);
  let after = '';
  let n = 0;
  for (;;) {
    const rs = await client.execute({ sql: `SELECT ${NODE_COLUMNS} FROM log_nodes WHERE session_id = ? AND path > ? ORDER BY path LIMIT 2000`, args: [sessionId, after] });
    for (const r of rs.rows) await out.write(`${JSON.stringify(r)}\n`);
    n += rs.rows.length;
    if (rs.rows.length < 2000) break;
    after = String(rs.rows[rs.rows.length - 1]!.path);
  }
  await out.close();
  return n;
}

async function finalRows(client: Client, sessionId: string, into: string): Promise<unknown[][]> {
  const rs = await client.execute({ sql: `SELECT ${NODE_COLUMNS} FROM log_nodes WHERE session_id = ? ORDER BY path`, args: [sessionId] });
  return rs.rows.map((r) => rs.columns.map((c) => (c === 'session_id' ? into : c === 'id' ? `raw-${String(r[c])}` : c === 'parent_id' || c === 'cause_id' ? (r[c] === null ? null : `raw-${String(r[c])}`) : r[c])));
}

async function peakRss(fn: () => Promise<unknown>): Promise<{ extraMb: number; ms: number }> {
  await settle();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { extraMb: (peak - base) / 1024 / 1024, ms: performance.now() - t0 };
}

export async function runInterchange(o: InterchangeOptions): Promise<BenchOutput> {
  const nodes = o.turns * NODES_PER_TURN;
  const templ = await createBenchDb(2);
  await checkpoint(templ.client);
  await templ.close();
  const [sourceSession, otherSession] = templ.ids.sessionIds as [string, string];

  const src = await openCopy(templ.file);
  await new LogsRepository(src.client).importNodes(sourceSession, generateTree(o.turns));
  const d = deps(src.client);
  const samples: Record<string, number[]> = {};
  const add = (k: string, v: number) => (samples[k] ??= []).push(v);
  const files: Record<string, string> = {};
  const cleanup: BenchDb[] = [src];
  try {
    for (let rep = 0; rep < o.reps; rep++) {
      for (const format of ['paddock', 'ag-ui', 'otlp', 'markdown'] as const) {
        const dir = tempDir('paddock-bench-export-');
        const r = await timed(() => runExport(d.exportDeps, { sessionId: sourceSession }, format, dir));
        add(`export.${format}`, nodes / (r.ms / 1000));
        add(`cpu.export.${format}`, nodes / (r.cpuMs / 1000));
        log(`export ${format}: ${r.ms.toFixed(0)} ms (CPU ${r.cpuMs.toFixed(0)} ms)`);
        files[format] = r.value.path;
      }
      const raw = await timed(() => rawRead(src.client, sourceSession, path.join(tempDir('paddock-bench-raw-'), 'rows.jsonl')));
      add('export.raw', raw.value / (raw.ms / 1000));
      add('cpu.export.raw', raw.value / (raw.cpuMs / 1000));
      log(`raw read: ${raw.ms.toFixed(0)} ms (CPU ${raw.cpuMs.toFixed(0)} ms)`);

      for (const format of ['paddock', 'ag-ui', 'otlp'] as const) {
        const dst = await openCopy(templ.file);
        cleanup.push(dst);
        const r = await timed(() => runImport(deps(dst.client).importDeps, { path: files[format]! }, { format }));
        add(`import.${format}`, r.value.nodes / (r.ms / 1000));
        add(`cpu.import.${format}`, r.value.nodes / (r.cpuMs / 1000));
        log(`import ${format}: ${r.ms.toFixed(0)} ms (CPU ${r.cpuMs.toFixed(0)} ms)`);
        if (format === 'paddock') {
          const rows = await finalRows(dst.client, r.value.sessionId, otherSession);
          const rawDb = await openCopy(templ.file);
          cleanup.push(rawDb);
          const rr = await timed(() => rawInsert(rawDb.client, rows));
          add('import.raw', rows.length / (rr.ms / 1000));
          add('cpu.import.raw', rows.length / (rr.cpuMs / 1000));
          log(`raw insert: ${rr.ms.toFixed(0)} ms (CPU ${rr.cpuMs.toFixed(0)} ms)`);
        }
      }
    }
    let memory: { extraMb: number; ms: number; bytes: number; nodes: number } | null = null;
    if (o.bigBytes > 0) {
      const big = path.join(tempDir('paddock-bench-big-'), 'session.jsonl');
      const bigNodes = await writeClaudeCodeFile(big, o.bigBytes);
      log(`wrote ${o.bigBytes} bytes, ${bigNodes} nodes`);
      const dst = await openCopy(templ.file);
      cleanup.push(dst);
      const m = await peakRss(() => runImport(deps(dst.client).importDeps, { path: big }, { format: 'claude-code' }));
      memory = { ...m, bytes: fs.statSync(big).size, nodes: bigNodes };
      fs.rmSync(path.dirname(big), { recursive: true, force: true });
    }
    return { name: 'interchange', figures: figures(samples, memory), context: { nodes, turns: o.turns, reps: o.reps, bigBytes: o.bigBytes } };
  } finally {
    for (const db of cleanup) await db.close().catch(() => undefined);
  }
}

function figures(s: Record<string, number[]>, memory: { extraMb: number; ms: number; bytes: number; nodes: number } | null): Figure[] {
  const g = '12 Interchange';
  const rate = (id: string, label: string, meaning: string): Figure =>
    figure({ id: `interchange.${id}`, group: g, label, unit: 'nodes/s', target: { op: '>=', value: 100_000 }, meaning }, s[id] ?? []);
  const ratio = (id: string, a: string, b: string, label: string): Figure => {
    const xs = (s[a] ?? []).map((v, i) => v / (s[b]?.[i] ?? Number.NaN));
    return figure({ id: `interchange.${id}`, group: g, label, unit: '×', target: { op: '>=', value: 0.5 }, meaning: 'How close the format code comes to the bare engine doing the same rows.' }, xs);
  };
  const out = [
    rate('export.paddock', 'Export, Paddock JSON', 'A 100,000-node session saved as Paddock JSON in about a second.'),
    rate('export.ag-ui', 'Export, AG-UI JSONL', 'The same session as AG-UI events.'),
    rate('export.otlp', 'Export, OTLP JSON', 'The same session as OpenTelemetry spans.'),
    rate('export.markdown', 'Export, Markdown', 'The same session as a readable transcript.'),
    figure({ id: 'interchange.export.raw', group: g, label: 'Raw engine: read rows, write JSON lines', unit: 'nodes/s', meaning: 'The bare engine reading the same rows page by page.' }, s['export.raw'] ?? []),
    ratio('export.vs_raw', 'export.paddock', 'export.raw', 'Export Paddock JSON ÷ raw read'),
    rate('import.paddock', 'Import, Paddock JSON', 'Importing the file back, one transaction.'),
    rate('import.ag-ui', 'Import, AG-UI JSONL', 'Importing the AG-UI file, one transaction.'),
    rate('import.otlp', 'Import, OTLP JSON', 'Importing the OTLP file (spans kept on disk until the tree is built), one transaction.'),
    figure({ id: 'interchange.import.raw', group: g, label: 'Raw engine: insert the same rows', unit: 'nodes/s', meaning: 'The bare engine inserting the same final rows in one transaction.' }, s['import.raw'] ?? []),
    ratio('import.vs_raw', 'import.paddock', 'import.raw', 'Import Paddock JSON ÷ raw insert'),
    rate('cpu.export.paddock', 'Export, Paddock JSON, per CPU second', 'Nodes per second of this process\'s CPU time: the work itself, whatever the machine\'s load.'),
    rate('cpu.import.paddock', 'Import, Paddock JSON, per CPU second', 'Importing the Paddock file, counted in this process\'s CPU time rather than wall time.'),
    rate('cpu.import.ag-ui', 'Import, AG-UI JSONL, per CPU second', 'Importing the AG-UI file, counted in this process\'s CPU time rather than wall time.'),
    rate('cpu.import.otlp', 'Import, OTLP JSON, per CPU second', 'Importing the OTLP file, counted in this process\'s CPU time rather than wall time.'),
    ratio('cpu.export.vs_raw', 'cpu.export.paddock', 'cpu.export.raw', 'Export Paddock JSON ÷ raw read, by CPU time'),
    ratio('cpu.import.vs_raw', 'cpu.import.paddock', 'cpu.import.raw', 'Import Paddock JSON ÷ raw insert, by CPU time'),
  ];
  if (memory) {
    out.push(figure({ id: 'interchange.import.big_extra_rss', group: g, label: `Extra memory importing a ${(memory.bytes / 1024 / 1024).toFixed(0)} MB Claude Code file`, unit: 'MB', target: { op: '<=', value: 200 }, judgedOn: 'max', meaning: 'Streaming keeps memory flat however big the file.', note: `${memory.nodes.toLocaleString('en-US')} nodes in ${(memory.ms / 1000).toFixed(1)} s (${Math.round(memory.nodes / (memory.ms / 1000)).toLocaleString('en-US')} nodes/s)` }, [memory.extraMb]));
  }
  return out;
}
