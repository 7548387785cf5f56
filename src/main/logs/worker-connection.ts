// The log writer's connection on a worker thread. @libsql/client runs a local file database
// synchronously on the calling thread, so on the main thread every commit stops the event loop
// (the model streams, the UI socket) for its whole duration, and no event can arrive meanwhile:
// with "commit at once on a node's end", a fast stream costs one transaction per node end. On a
// worker, the main thread keeps accepting events while a commit runs, and the writer's next
// flush takes everything that arrived meanwhile (group commit): fewer, bigger transactions, the
// same durability bounds (flushes still start at once; they just no longer wait in line behind
// the event loop).
//
// Only what LogWriter calls is offered (execute, batch, close). Results come back as plain
// objects (rows keyed by column name), errors with the driver's code so the writer can still
// tell a busy database from a refused write.

import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { Client, InStatement, ResultSet, TransactionMode } from '@libsql/client';
import { BUSY_TIMEOUT_MS, localPathOf } from '../db/connection.js';

/** The part of a Client the writer uses. */
export type WriterConnection = Pick<Client, 'execute' | 'batch' | 'close'> & {
  /**
   * Worker connections only: blocks the calling thread until at most `maxPending` requests sent
   * so far are still unanswered (at most `timeoutMs`), settling the answered ones' promises. The
   * writer's backpressure: a producer faster than the database must wait, as it did when commits
   * ran on its thread, or its events would wait longer than the durability bound. Returns true
   * when no more than `maxPending` are left.
   */
  waitIdle?: (timeoutMs: number, maxPending?: number) => boolean;
  /**
   * Worker connections only: a batch that runs only if the batch sent just before it (on this
   * connection) succeeded; otherwise it is refused unrun with code PIPELINE_CANCELLED. This is
   * what lets the writer send its next batch while one commits: a batch built on the places of a
   * batch that then fails must not reach the database without it.
   */
  batchAfterPrevious?: (stmts: InStatement[], mode: TransactionMode) => Promise<ResultSet[]>;
};

/** Error code of a batch refused unrun because the batch before it failed. */
export const PIPELINE_CANCELLED = 'PIPELINE_CANCELLED';

interface WireResult {
  columns: string[];
  rows: Record<string, unknown>[];
  rowsAffected: number;
}
interface WireError {
  name: string;
  message: string;
  code?: string;
  extendedCode?: string;
  rawCode?: number;
}
type Reply = { id: number; ok: true; result: WireResult | WireResult[] } | { id: number; ok: false; error: WireError };

// Plain CommonJS, run with `eval` (so no bundler has to know about a second entry file). It
// drives the libsql engine through the `libsql` driver that @libsql/client itself uses for local
// files, with the same settings as openClient + LogWriter.open, one request at a time. Not through
// @libsql/client: its batch() prepares every statement anew and converts every value of every
// row, which on a streaming session's small, frequent batches cost more than the engine's own
// work (bench/: ~135 ms of worker time through it vs ~105 ms for the same batches here). Here
// statements are prepared once and kept (a small LRU: the writer's statements repeat).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const parentPort = workerData.port;
const signal = new Int32Array(workerData.signal);
const post = (m) => { parentPort.postMessage(m); Atomics.add(signal, 0, 1); Atomics.notify(signal, 0); };
const Database = require(workerData.driverPath);
const { path, timeout } = workerData;
const CACHE_SIZE = 64;
let db = null;
const cache = new Map();
const prepare = (sql) => {
  let st = cache.get(sql);
  if (st) {
    cache.delete(sql);
  } else {
    st = db.prepare(sql);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value);
  }
  cache.set(sql, st);
  return st;
};
// The driver aborts the whole process on a value it does not know (a boolean, an object), so
// every value is checked here, as @libsql/client's valueToSql does.
const toSql = (v) => {
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
};
const run = (s) => {
  const st = prepare(s.sql);
  const args = s.args.map(toSql);
  if (st.reader) return { columns: st.columns().map((c) => c.name), rows: st.all(args), rowsAffected: 0 };
  return { columns: [], rows: [], rowsAffected: st.run(args).changes };
};
const BEGIN = { write: 'BEGIN IMMEDIATE', read: 'BEGIN DEFERRED', deferred: 'BEGIN DEFERRED' };
const batch = (stmts, mode) => {
  prepare(BEGIN[mode] || 'BEGIN DEFERRED').run();
  try {
    const out = stmts.map(run);
    prepare('COMMIT').run();
    return out;
  } catch (e) {
    if (db.inTransaction) {
      try { prepare('ROLLBACK').run(); } catch {}
    }
    throw e;
  }
};
// The driver's codes are extended (SQLITE_CONSTRAINT_FOREIGNKEY); callers match the primary one
// first, as @libsql/client reports them.
const wireError = (e) => {
  const full = e && typeof e.code === 'string' ? e.code : undefined;
  const primary = full && /^SQLITE_[A-Z]+/.exec(full);
  return { name: String(e && e.name || 'Error'), message: String(e && e.message || e), code: primary ? primary[0] : full, extendedCode: full, rawCode: e && e.rawCode };
};
const isBusy = (e) => e && (/^SQLITE_BUSY/.test(String(e.code)) || /database is locked/i.test(String(e.message)));
const ready = (async () => {
  db = new Database(path, { timeout });
  const deadline = Date.now() + timeout;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') db.pragma('journal_mode = WAL');
      break;
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) throw e;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
})();
ready.catch(() => undefined);
let chain = Promise.resolve();
// Whether the last batch failed (or was refused): an afterPrevious batch then is refused too.
let lastBatchFailed = false;
parentPort.on('message', (m) => {
  chain = chain.then(async () => {
    if (m.op === 'close') {
      cache.clear();
      try { if (db) db.close(); } catch {}
      post({ id: m.id, ok: true, result: [] });
      parentPort.close();
      return;
    }
    if (m.op === 'batch' && m.afterPrevious && lastBatchFailed) {
      post({ id: m.id, ok: false, error: { name: 'PipelineCancelled', message: 'not run: the batch before it failed', code: '${PIPELINE_CANCELLED}' } });
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
  });
});
`;

function toResultSet(r: WireResult): ResultSet {
  return {
    columns: r.columns,
    columnTypes: r.columns.map(() => ''),
    rows: r.rows as unknown as ResultSet['rows'],
    rowsAffected: r.rowsAffected,
    lastInsertRowid: undefined,
    toJSON: () => r,
  };
}

function toError(e: WireError): Error {
  return Object.assign(new Error(e.message), { name: e.name, code: e.code, extendedCode: e.extendedCode, rawCode: e.rawCode });
}

/**
 * Starts a worker holding one connection to a local file database. Requests are answered in
 * order. If the worker dies, every pending and later request fails (without an SQLITE_ code, so
 * the writer treats it as transient and reopens).
 */
export function openWorkerConnection(url: string, opts: { busyTimeoutMs?: number } = {}): WriterConnection {
  const path = localPathOf(url);
  if (path === null) throw new Error(`the log writer's worker connection needs a local database file, not ${url}`);
  const driverPath = createRequire(import.meta.url).resolve('libsql');
  // Requests and answers travel on their own port (so waitIdle can take answers synchronously
  // with receiveMessageOnPort); each answer bumps a shared counter (so it can sleep on Atomics.wait).
  const { port1: port, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driverPath, path, timeout: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS, port: port2, signal: signal.buffer },
    transferList: [port2],
  });
  // Keeps the process alive only while a request is waiting for its answer (an idle writer must
  // not hold the app open; a pending commit must not be cut off by an empty event loop).
  worker.unref();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const failAll = (e: Error) => {
    dead ??= e;
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
    worker.unref();
    port.close();
  };
  const settle = (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) {
      worker.unref();
      port.unref();
    }
    if (m.ok) p.resolve(m.result);
    else p.reject(toError(m.error));
  };
  port.on('message', settle);
  port.unref();
  worker.on('error', (e) => failAll(new Error(`log writer worker failed: ${e.message}`)));
  worker.on('exit', (code) => failAll(new Error(`log writer worker exited (${code})`)));

  const request = (message: Record<string, unknown>): Promise<unknown> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      try {
        // Throws for what cannot be copied to the worker (a function, a symbol…).
        port.postMessage({ id, ...message });
      } catch (e) {
        reject(Object.assign(new TypeError(`unsupported argument: ${(e as Error).message}`), { code: 'ARGUMENT_INVALID' }));
        return;
      }
      if (pending.size === 0) {
        worker.ref();
        port.ref();
      }
      pending.set(id, { resolve, reject });
    });
  };
  const normalize = (s: InStatement): { sql: string; args: unknown } => (typeof s === 'string' ? { sql: s, args: [] } : { sql: s.sql, args: s.args ?? [] });

  return {
    execute: (async (stmt: InStatement) => toResultSet((await request({ op: 'execute', stmt: normalize(stmt) })) as WireResult)) as Client['execute'],
    batch: async (stmts: InStatement[], mode: TransactionMode = 'deferred') =>
      ((await request({ op: 'batch', stmts: stmts.map(normalize), mode })) as WireResult[]).map(toResultSet),
    batchAfterPrevious: async (stmts: InStatement[], mode: TransactionMode) =>
      ((await request({ op: 'batch', stmts: stmts.map(normalize), mode, afterPrevious: true })) as WireResult[]).map(toResultSet),
    waitIdle: (timeoutMs: number, maxPending = 0) => {
      const deadline = performance.now() + timeoutMs;
      while (pending.size > maxPending && !dead) {
        const seen = Atomics.load(signal, 0);
        let m = receiveMessageOnPort(port);
        while (m) {
          settle(m.message as Reply);
          m = receiveMessageOnPort(port);
        }
        if (pending.size <= maxPending) break;
        const left = deadline - performance.now();
        if (left <= 0) return false;
        Atomics.wait(signal, 0, seen, left);
      }
      return pending.size <= maxPending;
    },
    close: () => {
      if (dead) return;
      // Answered after every request already sent; the worker then closes its connection and exits.
      request({ op: 'close' }).catch(() => undefined);
    },
  };
}
