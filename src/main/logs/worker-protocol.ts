// What crosses between the log writer's connection (worker-connection.ts, main thread) and its
// worker (writer-worker.ts): one request at a time on a MessagePort, answered in order. Shared
// by both sides so neither can drift from the other.

import type { MessagePort } from 'node:worker_threads';

/** Error code of a batch refused unrun because the batch before it failed. */
export const PIPELINE_CANCELLED = 'PIPELINE_CANCELLED';

/** The worker's file, next to the module that starts it once bundled (see worker-entry.ts). */
export const WRITER_WORKER_FILE = 'writer-worker.mjs';

/** What the worker is started with. */
export interface WriterWorkerData {
  /** Where `require('libsql')` resolves for the main thread: the worker loads the same driver. */
  driverPath: string;
  /** The database file. */
  path: string;
  /** Busy timeout (ms). */
  timeout: number;
  /** Requests in, answers out. */
  port: MessagePort;
  /** An Int32Array's buffer whose first slot the worker bumps after each answer (see waitIdle). */
  signal: SharedArrayBuffer;
}

export type TransactionModeWire = 'write' | 'read' | 'deferred';

export interface WireStatement {
  sql: string;
  /** Positional only: the writer sends no named arguments (the worker refuses them). */
  args: unknown[] | Record<string, unknown>;
}

export type WireRequest =
  | { id: number; op: 'execute'; stmt: WireStatement }
  | { id: number; op: 'batch'; stmts: WireStatement[]; mode: TransactionModeWire; afterPrevious?: boolean }
  | { id: number; op: 'close' };

export interface WireResult {
  columns: string[];
  rows: Record<string, unknown>[];
  rowsAffected: number;
}

export interface WireError {
  name: string;
  message: string;
  code?: string;
  extendedCode?: string;
  rawCode?: number;
}

export type WireReply = { id: number; ok: true; result: WireResult | WireResult[] } | { id: number; ok: false; error: WireError };
