// The log writer's worker thread (started by worker-connection.ts; the why is there). It drives
// the libsql engine through the `libsql` driver that @libsql/client itself uses for local files,
// with the same connection settings as openClient + LogWriter.open, one request at a time. Not
// through @libsql/client: its batch() prepares every statement anew and converts every value of
// every row, which on a streaming session's small, frequent batches cost more than the engine's
// own work (bench/: ~135 ms of worker time through it vs ~105 ms for the same batches here).
// Here statements are prepared once and kept (a small LRU: the writer's statements repeat).

import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';
import type Libsql from 'libsql';
import { setUpConnection } from '../db/connection-setup.js';
import { PIPELINE_CANCELLED, type WireError, type WireReply, type WireRequest, type WireResult, type WireStatement, type WriterWorkerData } from './worker-protocol.js';

type Database = InstanceType<typeof Libsql>;
/** What is used of a prepared statement (the driver's own type is generic over its arguments). */
interface Statement {
  readonly reader: boolean;
  run(...params: unknown[]): { changes: number };
  all(...params: unknown[]): unknown[];
  columns(): { name: string }[];
}

const CACHE_SIZE = 64;
const BEGIN = { write: 'BEGIN IMMEDIATE', read: 'BEGIN DEFERRED', deferred: 'BEGIN DEFERRED' } as const;

const { port, signal: signalBuffer, driverPath, path, timeout } = workerData as WriterWorkerData;
const signal = new Int32Array(signalBuffer);
// Loaded from where the main thread resolves it, so this file runs from any directory.
const Driver = createRequire(import.meta.url)(driverPath) as typeof Libsql;

function post(m: WireReply): void {
  port.postMessage(m);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

let db: Database | null = null;
const cache = new Map<string, Statement>();

function prepare(sql: string): Statement {
  let st = cache.get(sql);
  if (st) {
    cache.delete(sql);
  } else {
    st = db!.prepare(sql);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(sql, st);
  return st;
}

// The driver aborts the whole process on a value it does not know (a boolean, an object), so
// every value is checked here, as @libsql/client's valueToSql does.
function toSql(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw Object.assign(new RangeError('Only finite numbers can be passed as arguments'), { code: 'ARGUMENT_INVALID' });
    return v;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return Buffer.from(v);
  if (v instanceof Date) return v.valueOf();
  throw Object.assign(new TypeError('unsupported argument type: ' + (v === undefined ? 'undefined' : typeof v)), { code: 'ARGUMENT_INVALID' });
}

function run(s: WireStatement): WireResult {
  const st = prepare(s.sql);
  if (!Array.isArray(s.args)) throw Object.assign(new TypeError('named arguments are not supported'), { code: 'ARGUMENT_INVALID' });
  const args = s.args.map(toSql);
  if (st.reader) return { columns: st.columns().map((c) => c.name), rows: st.all(args) as Record<string, unknown>[], rowsAffected: 0 };
  return { columns: [], rows: [], rowsAffected: st.run(args).changes };
}

function batch(stmts: WireStatement[], mode: keyof typeof BEGIN): WireResult[] {
  prepare(BEGIN[mode] ?? BEGIN.deferred).run();
  try {
    const out = stmts.map(run);
    prepare('COMMIT').run();
    return out;
  } catch (e) {
    if (db!.inTransaction) {
      try {
        prepare('ROLLBACK').run();
      } catch {
        // the first error is the one to report
      }
    }
    throw e;
  }
}

// The driver's codes are extended (SQLITE_CONSTRAINT_FOREIGNKEY); callers match the primary one
// first, as @libsql/client reports them.
function wireError(e: unknown): WireError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; message?: unknown; code?: unknown; rawCode?: unknown };
  const full = typeof err.code === 'string' ? err.code : undefined;
  const primary = full && /^SQLITE_[A-Z]+/.exec(full);
  return {
    name: String(err.name || 'Error'),
    message: String(err.message || e),
    code: primary ? primary[0] : full,
    extendedCode: full,
    rawCode: typeof err.rawCode === 'number' ? err.rawCode : undefined,
  };
}

const ready = (async () => {
  db = new Driver(path, { timeout });
  const conn = db;
  await setUpConnection((p) => conn.pragma(p, { simple: true }), { busyTimeoutMs: timeout, synchronous: 'NORMAL', foreignKeys: true });
})();
ready.catch(() => undefined);

async function handle(m: WireRequest): Promise<void> {
  if (m.op === 'close') {
    cache.clear();
    try {
      db?.close();
    } catch {
      // closing is best effort: the thread ends next
    }
    post({ id: m.id, ok: true, result: [] });
    port.close();
    return;
  }
  if (m.op === 'batch' && m.afterPrevious && lastBatchFailed) {
    post({ id: m.id, ok: false, error: { name: 'PipelineCancelled', message: 'not run: the batch before it failed', code: PIPELINE_CANCELLED } });
    return;
  }
  try {
    await ready;
    const result = m.op === 'batch' ? batch(m.stmts, m.mode) : run(m.stmt);
    if (m.op === 'batch') lastBatchFailed = false;
    post({ id: m.id, ok: true, result });
  } catch (e) {
    if (m.op === 'batch') lastBatchFailed = true;
    post({ id: m.id, ok: false, error: wireError(e) });
  }
}

let chain = Promise.resolve();
// Whether the last batch failed (or was refused): an afterPrevious batch then is refused too.
let lastBatchFailed = false;
port.on('message', (m: WireRequest) => {
  chain = chain.then(() => handle(m));
});
