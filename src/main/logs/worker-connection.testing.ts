// Helpers shared by the worker connection test files (worker-connection.test.ts and its
// worker-connection.*.test.ts siblings).

import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultSet } from '@libsql/client';
import type { WriterConnection } from './worker-connection.js';
import type { LogWriter } from './writer.js';

/** One root node of a session as a raw statement (the connection tests bypass the writer). */
export function insertRoot(sessionId: string, id: string, seq = 0): { sql: string; args: (string | number)[] } {
  return {
    sql: "INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, status, started_at) VALUES (?, ?, ?, 0, printf('%08d', ?), 'system', 'complete', '2026-03-01T10:00:00.000Z')",
    args: [id, sessionId, seq, seq],
  };
}

/** Lets pending microtasks run, but never a macrotask (a message from the worker is one). */
export async function microtasks(n = 30): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

/** Flushes, trying again while a failure is still being retried (at most 20 times, 20 ms apart). */
export async function flushEventually(w: LogWriter): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await w.flush();
      return;
    } catch (e) {
      if (attempt >= 20) throw e;
      await sleep(20);
    }
  }
}

/** A promise with its settle functions, to hold one call of a connection until the test says. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A real worker connection whose next batch and next read can be held while `holding` is set:
 * the test then decides when the read goes on and whether the held batch runs or fails unrun.
 */
export function gatedConnection(real: WriterConnection) {
  const gate = {
    holding: false,
    batchCalled: deferred<void>(),
    readCalled: deferred<void>(),
    readGate: deferred<void>(),
  };
  let held: { run: () => Promise<ResultSet[]>; answer: ReturnType<typeof deferred<ResultSet[]>> } | null = null;
  const conn: WriterConnection = {
    execute: (async (stmt: Parameters<WriterConnection['execute']>[0]) => {
      if (gate.holding) {
        gate.readCalled.resolve();
        await gate.readGate.promise;
      }
      return real.execute(stmt);
    }) as WriterConnection['execute'],
    batch: (stmts, mode) => {
      if (!gate.holding) return real.batch(stmts, mode);
      const answer = deferred<ResultSet[]>();
      held = { run: () => real.batch(stmts, mode), answer };
      gate.batchCalled.resolve();
      return answer.promise;
    },
    batchAfterPrevious: (stmts, mode) => real.batchAfterPrevious!(stmts, mode),
    waitIdle: (ms, max) => real.waitIdle!(ms, max),
    close: () => undefined,
  };
  return {
    conn,
    gate,
    /** The held batch runs on the database now. */
    runHeldBatch: () => void held!.run().then(held!.answer.resolve, held!.answer.reject),
    /** The held batch fails with `error`, unrun. */
    failHeldBatch: (error: unknown) => held!.answer.reject(error),
  };
}
