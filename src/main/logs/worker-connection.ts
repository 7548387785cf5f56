// The log writer's connection on a worker thread (writer-worker.ts). @libsql/client runs a local
// file database synchronously on the calling thread, so on the main thread every commit stops the
// event loop (the model streams, the UI socket) for its whole duration, and no event can arrive
// meanwhile: with "commit at once on a node's end", a fast stream costs one transaction per node
// end. On a worker, the main thread keeps accepting events while a commit runs, and the writer's
// next flush takes everything that arrived meanwhile (group commit): fewer, bigger transactions,
// the same durability bounds (flushes still start at once; they just no longer wait in line behind
// the event loop).
//
// Only what LogWriter calls is offered (execute, batch, close). Results come back as plain
// objects (rows keyed by column name), errors with the driver's code so the writer can still
// tell a busy database from a refused write.

import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Client, InStatement, ResultSet, TransactionMode } from '@libsql/client';
import { BUSY_TIMEOUT_MS, localPathOf } from '../db/connection.js';
import { unpackedPath } from '../unpacked-path.js';
import { writerWorkerFile } from './worker-entry.js';
import {
  PIPELINE_CANCELLED,
  type WireError,
  type WireReply,
  type WireRequest,
  type WireResult,
  type WireStatement,
  type WriterWorkerData,
} from './worker-protocol.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

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

export { PIPELINE_CANCELLED };

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

/** The worker thread, and the port and counter its answers come back through. */
function startWorker(path: string, timeout: number): { worker: Worker; port: MessagePort; signal: Int32Array } {
  // Packaged, the worker loads the unpacked driver: it has no access to the archive's copy.
  const driverPath = unpackedPath(createRequire(import.meta.url).resolve('libsql'));
  // Requests and answers travel on their own port (so waitIdle can take answers synchronously
  // with receiveMessageOnPort); each answer bumps a shared counter (so it can sleep on Atomics.wait).
  const { port1: port, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const workerData: WriterWorkerData = { driverPath, path, timeout, port: port2, signal: signal.buffer as SharedArrayBuffer };
  const worker = new Worker(writerWorkerFile(), { workerData, transferList: [port2] });
  return { worker, port, signal };
}

/**
 * Starts a worker holding one connection to a local file database. Requests are answered in
 * order. If the worker dies, every pending and later request fails (without an SQLITE_ code, so
 * the writer treats it as transient and reopens).
 */
export function openWorkerConnection(url: string, opts: { busyTimeoutMs?: number } = {}): WriterConnection {
  const path = localPathOf(url);
  if (path === null) throw new Error(`the log writer's worker connection needs a local database file, not ${url}`);
  const { worker, port, signal } = startWorker(path, opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
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
  const settle = (m: WireReply) => {
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

  const request = (message: DistributiveOmit<WireRequest, 'id'>): Promise<unknown> => {
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
  const normalize = (s: InStatement): WireStatement => (typeof s === 'string' ? { sql: s, args: [] } : { sql: s.sql, args: s.args ?? [] });

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
          settle(m.message as WireReply);
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
