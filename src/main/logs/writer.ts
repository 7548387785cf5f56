// The live write path: what a running agent produces (node started, text delta, tool state,
// node finished) is buffered in memory and committed in groups, so a model streaming hundreds of
// deltas a second costs a handful of transactions instead of one per delta (seed 004 rewrote the
// whole message and committed once per delta).
//
// Flush policy: the first buffered op arms a 50 ms timer; 64 KB of buffered text, a node's end
// or a tool status change flush at once (next macrotask, so calls in the same tick share it).
// Each flush is ONE `client.batch(…, 'write')` of (usually) three set-based statements:
//   1. INSERT … VALUES (…), (…)            — all new nodes, parents first
//   2. INSERT … SELECT FROM json_each(?)  — all new chunks
//   3. UPDATE … FROM json_each(?) RETURNING — all status changes / finishes, which also fold a
//      node's chunks into content (or tool_args for an action) as it leaves 'streaming'
// Set-based statements are how rows reach the engine fast through @libsql/client (one statement
// per row costs ~10x more; figures in libsql-traps.md).
//
// LogWriter.open() on a local file runs the connection on a worker thread (worker-connection.ts):
// commits no longer stop the event loop, and what arrives while one runs goes in the next one
// (group commit). On the calling thread, "at once on a node's end" meant one transaction per
// node end for a fast stream (~430 for bench/'s 30,000 events, ~5× the raw engine's time); on the
// worker the same stream takes a few dozen. The next batch is sent while one commits (a pipeline
// of PIPELINE_DEPTH batches), so the worker never idles while the main thread builds a batch; a
// batch queued behind one that fails is refused unrun (batchAfterPrevious) and both go back to
// the buffer in order (onFailed). Backpressure keeps the durability bound: once the buffer holds
// 64 KB or its oldest op waited BACKPRESSURE_MS while the pipeline is full, the producer waits
// for the oldest batch (see accepted()).
//
// Ids are assigned synchronously (UUIDv7) so callers can parent to a node at once; a node's
// place (seq, depth, path) is assigned at flush time from a cache of places this writer knows,
// falling back to one read when the parent or session was written by someone else earlier.
//
// Failure: a flush that fails leaves its ops at the head of the buffer and retries with backoff
// (busy database, full disk…), reporting each failure as an 'error' event; nothing is thrown into
// the caller (the model stream). Only data the database refuses outright (its session was
// deleted) is dropped, per session, with an 'error' event saying what was lost.

import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { InStatement, LibsqlError, ResultSet, Row } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { JsonValue, LogKind, LogNode, LogStatus } from '../../shared/domain.js';
import { localPathOf, openClient, type DatabaseLocation } from '../db/connection.js';
import { LogsError } from './errors.js';
import { openWorkerConnection, type WriterConnection } from './worker-connection.js';
import { NODE_RETURNING_JSON, assembleOnLeaveStreamingSql, childPath, nodesFromReturning } from './rows.js';
import {
  FINAL_LOG_STATUSES,
  TOOL_LOG_STATUSES,
  costSchema,
  countSchema,
  idSchema,
  jsonValueSchema,
  kindSchema,
  metadataSchema,
  roleSchema,
  statusSchema,
} from './validation.js';

export const DEFAULT_FLUSH_INTERVAL_MS = 50;
export const DEFAULT_MAX_BUFFER_BYTES = 64 * 1024;
export const DEFAULT_MAX_HELD_BYTES = 16 * 1024 * 1024;
const MAX_DEPTH = 255;
/** Age of the oldest buffered op after which the producer waits for a running commit. */
const BACKPRESSURE_MS = 8;
const MAX_BACKPRESSURE_WAIT_MS = 100;
/** Batches in flight at once on a worker connection: one committing, the next queued behind it. */
const PIPELINE_DEPTH = 2;
const MAX_RETRY_DELAY_MS = 2_000;
const CLOSE_ATTEMPTS = 8;

export interface LogWriterOptions {
  /** Longest time an accepted op waits before its flush starts (default 50 ms). */
  flushIntervalMs?: number;
  /** Buffered text that triggers an immediate flush (default 64 KB). */
  maxBufferBytes?: number;
  /**
   * Bytes held (buffered and in flight) above which whenRoom() makes producers wait (default
   * 16 MB): while another program holds the database for long, memory stays bounded.
   */
  maxHeldBytes?: number;
  /** close() also closes the client (true for LogWriter.open()). */
  ownsClient?: boolean;
  /** How many node places to remember before evicting finished ones (default 20,000). */
  placeCacheSize?: number;
  /**
   * Opens a fresh client to replace the current one after a failed flush (LogWriter.open()
   * provides it). Needed because of a driver trap: after a batch's BEGIN IMMEDIATE fails with
   * SQLITE_BUSY, @libsql/client 0.18 leaves that statement active on the connection, every later
   * COMMIT on it fails ("cannot commit transaction - SQL statements in progress"), and a later
   * batch can even leave a transaction open that holds the write lock. Without `reopen` the
   * writer keeps retrying on the same client.
   */
  reopen?: () => Promise<WriterConnection>;
  /**
   * LogWriter.open() on a local file: run the connection on a worker thread (default true), so
   * commits never block the event loop and node ends that arrive during a commit share the next
   * one (see worker-connection.ts). Falls back to the calling thread if the worker cannot start.
   */
  worker?: boolean;
}

const startNodeSchema = z.object({
  sessionId: idSchema,
  parentId: idSchema.nullable().optional(),
  causeId: idSchema.nullable().optional(),
  kind: kindSchema,
  role: roleSchema.nullable().optional(),
  /** Default 'streaming'. A final status (e.g. a complete user message) ends the node at once. */
  status: statusSchema.optional(),
  /** Initial text; deltas are appended after it. */
  content: z.string().optional(),
  model: z.string().nullable().optional(),
  provider: z.string().nullable().optional(),
  toolName: z.string().nullable().optional(),
  toolArgs: jsonValueSchema.nullable().optional(),
  metadata: metadataSchema.optional(),
});
export type StartNodeInput = z.input<typeof startNodeSchema>;

const finishNodeSchema = z.object({
  status: z.enum(FINAL_LOG_STATUSES),
  tokensIn: countSchema.optional(),
  tokensOut: countSchema.optional(),
  tokensReasoning: countSchema.optional(),
  costUsd: costSchema.optional(),
  /** Replaces the assembled text (rarely needed: deltas already built it). */
  content: z.string().optional(),
  /** Final tool arguments; default for an action: its streamed deltas, parsed as JSON. */
  toolArgs: jsonValueSchema.nullable().optional(),
  toolResult: jsonValueSchema.nullable().optional(),
  /** Default: time since startNode. */
  durationMs: countSchema.optional(),
  /** Stored as metadata.error. */
  error: z.string().optional(),
  /** Merged into the node's metadata (RFC 7396 merge patch). */
  metadata: metadataSchema.optional(),
  model: z.string().nullable().optional(),
  provider: z.string().nullable().optional(),
});
export type FinishNodeInput = z.input<typeof finishNodeSchema>;

export type ToolLogStatus = (typeof TOOL_LOG_STATUSES)[number];

/** Text appended to one node by a commit (its deltas in this commit, joined). */
export interface LogDelta {
  sessionId: string;
  nodeId: string;
  text: string;
  /** seq of the first chunk in this delta and how many chunks it joins. */
  firstChunkSeq: number;
  chunkCount: number;
  /** Offset of the last chunk from the node's start (ms). */
  lastAtMs: number;
}

/**
 * What one flush committed, for live views. Apply in order: `inserted` (new nodes, content =
 * their initial text, childCount as of insertion), then `deltas` (append text), then `updated`
 * (full snapshots after a status change or finish; they replace what the view holds).
 */
export interface LogCommit {
  inserted: LogNode[];
  deltas: LogDelta[];
  updated: LogNode[];
  /** Epoch ms (sub-ms precision) when the oldest / newest op of this commit was accepted. */
  acceptedFrom: number;
  acceptedTo: number;
  /** Epoch ms when the commit returned. committedAt - acceptedFrom = worst durability lag. */
  committedAt: number;
  /** Ops (node starts, deltas, updates) in this commit. */
  ops: number;
}

export interface LogWriterStats {
  bufferedOps: number;
  bufferedBytes: number;
  openNodes: number;
  flushes: number;
  committedOps: number;
  failedFlushes: number;
}

export interface LogWriterEvents {
  commit: [LogCommit];
  error: [LogsError];
}

interface OpenNode {
  sessionId: string;
  kind: LogKind;
  startPerf: number;
  startEpoch: number;
  nextChunk: number;
  /** Accepts deltas (status is 'streaming'). */
  streaming: boolean;
}

interface NewNodeOp {
  id: string;
  sessionId: string;
  parentId: string | null;
  causeId: string | null;
  kind: LogKind;
  role: string | null;
  status: LogStatus;
  content: string;
  metadata: Record<string, JsonValue>;
  model: string | null;
  provider: string | null;
  startedAt: string;
  endedAt: string | null;
  toolName: string | null;
  toolArgs: string | null;
}

/** Fields of the UPDATE json object (see UPDATE_SQL); undefined = leave as is. */
interface UpdateOp {
  id: string;
  sessionId: string;
  status: LogStatus;
  endedAt?: string;
  content?: string;
  /** JSON values, embedded as is (read with ->, which yields their JSON text). */
  toolArgs?: JsonValue;
  toolResult?: JsonValue;
  tokensIn?: number;
  tokensOut?: number;
  tokensReasoning?: number;
  costUsd?: number;
  durationMs?: number;
  metadata?: Record<string, JsonValue>;
  model?: string;
  provider?: string;
}

type ChunkRow = [nodeId: string, seq: number, text: string, atMs: number];

interface Buffer {
  nodes: NewNodeOp[];
  chunks: ChunkRow[];
  /** Session of every node with chunks in this buffer (for commit events and per-session retry). */
  chunkSessions: Map<string, string>;
  /** Per node, later calls merged over earlier ones (Map keeps first-call order). */
  updates: Map<string, UpdateOp>;
  ops: number;
  bytes: number;
  acceptedFrom: number;
  acceptedTo: number;
}

interface Place {
  sessionId: string;
  path: string;
  depth: number;
  nextChild: number;
}

/** Where a buffer's new nodes go, as placed for its batch. */
interface Placed {
  rows: unknown[][];
  inserted: LogNode[];
  places: Map<string, Place>;
  rootNext: Map<string, number>;
  dropped: Set<string>;
  /** Sessions the database says do not exist (their nodes are in `dropped`). */
  missingSessions: Set<string>;
  /** What was dropped or changed, reported once the batch is really sent (reportPlacement). */
  problems: string[];
}

/** What a placement had to read from the database. */
interface PlacementReads {
  dbPlaces: Map<string, Place>;
  rootNext: Map<string, number>;
  missingSessions: Set<string>;
}

/** A buffer's batch, ready to send. */
interface Prepared {
  placed: Placed;
  stmts: InStatement[];
  chunks: ChunkRow[];
  /** Index of the UPDATE statement in stmts, or -1. */
  updateIndex: number;
}

/** A batch sent and not yet handled. */
interface InFlight {
  b: Buffer;
  prepared: Prepared;
  /** A failure before it put its buffer back: its answer is ignored. */
  aborted: boolean;
  /** Resolves (never rejects) once the connection answered and onCommitted/onFailed ran. */
  answered: Promise<void>;
  /** Resolves once committed and reported; rejects if it (or a batch before it) failed. */
  done: Promise<void>;
}

const emptyBuffer = (): Buffer => ({
  nodes: [],
  chunks: [],
  chunkSessions: new Map(),
  updates: new Map(),
  ops: 0,
  bytes: 0,
  acceptedFrom: 0,
  acceptedTo: 0,
});

// Every statement has a constant text and takes its rows as one JSON parameter (json_each): the
// worker prepares each statement once, and one string crosses to the worker instead of 18
// values per node (measured: Paddock ÷ raw 0.62–0.64 with multi-row VALUES, 0.66–0.67 so).
const INSERT_NODES_JSON_SQL = `INSERT INTO log_nodes (id, session_id, parent_id, cause_id, seq, depth, path, kind, role,
    status, content, metadata, model, provider, started_at, ended_at, tool_name, tool_args)
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8,
    value->>9, value->>10, value->>11, value->>12, value->>13, value->>14, value->>15, value->>16, value->>17 FROM json_each(?)`;
const INSERT_CHUNKS_SQL = `INSERT INTO log_chunks (node_id, seq, text, at_ms)
  SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)`;

// Column references in SET see the row as it was before the update (t.status = old status).
const UPDATE_SQL = `UPDATE log_nodes AS t SET
    status = u.value->>'status',
    ended_at = coalesce(u.value->>'endedAt', t.ended_at),
    ${assembleOnLeaveStreamingSql(`(u.value->>'content')`, `(u.value->'toolArgs')`)},
    tool_result = coalesce(u.value->'toolResult', t.tool_result),
    tokens_in = coalesce(u.value->>'tokensIn', t.tokens_in),
    tokens_out = coalesce(u.value->>'tokensOut', t.tokens_out),
    tokens_reasoning = coalesce(u.value->>'tokensReasoning', t.tokens_reasoning),
    cost_usd = coalesce(u.value->>'costUsd', t.cost_usd),
    duration_ms = coalesce(u.value->>'durationMs', t.duration_ms),
    metadata = CASE WHEN u.value->'metadata' IS NULL THEN t.metadata ELSE json_patch(t.metadata, u.value->'metadata') END,
    model = coalesce(u.value->>'model', t.model),
    provider = coalesce(u.value->>'provider', t.provider)
  FROM json_each(?) AS u
  WHERE t.id = u.value->>'id'`;
// The updated rows are only read back when someone listens for commits.
const UPDATE_RETURNING_SQL = `${UPDATE_SQL}
  RETURNING ${NODE_RETURNING_JSON}`;

const nowEpoch = (): number => performance.timeOrigin + performance.now();

/** Errors worth retrying: the database is busy, locked, full or had an I/O problem. */
function isTransient(e: unknown): boolean {
  const code = String((e as Partial<LibsqlError>)?.code ?? '');
  return /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL|NOMEM|INTERRUPT)/.test(code) || !code.startsWith('SQLITE_');
}

export class LogWriter extends EventEmitter<LogWriterEvents> {
  /**
   * Opens a writer on its own single-connection client (the writer's transactions never wait
   * behind a reader's, and PRAGMAs stick to its one connection).
   *
   * synchronous = NORMAL: in WAL mode a commit is written to the WAL (the OS's page cache) before
   * it returns, and fsynced at checkpoints. A killed process (crash, SIGKILL, force-quit) loses
   * nothing committed; only an OS crash or power loss can drop the last commits, and it can never
   * corrupt the database. FULL would add an fsync to every 50 ms group commit for no gain
   * against the failure we design for (the app dying mid-stream). Skipped for remote databases.
   */
  static async open(location: DatabaseLocation, opts: Omit<LogWriterOptions, 'ownsClient'> = {}): Promise<LogWriter> {
    const local = localPathOf(location.url);
    let useWorker = (opts.worker ?? true) && local !== null;
    const connect = async (): Promise<WriterConnection> => {
      if (useWorker) {
        let conn: WriterConnection | null = null;
        try {
          conn = openWorkerConnection(location.url);
          // Proves the worker, its driver and the database answer before the writer relies on it.
          await conn.execute('SELECT 1');
          return conn;
        } catch (e) {
          conn?.close();
          // The database's own answer (busy, cannot open…) is the caller's problem either way.
          if (String((e as Partial<LibsqlError>)?.code ?? '').startsWith('SQLITE_')) throw e;
          useWorker = false;
          console.warn(`[paddock logs] the log writer runs on the main thread: ${String((e as Error)?.message ?? e)}`);
        }
      }
      const client = await openClient(location, { concurrency: 1 });
      try {
        if (localPathOf(location.url)) await client.execute('PRAGMA synchronous = NORMAL');
      } catch (e) {
        client.close();
        throw e;
      }
      return client;
    };
    return new LogWriter(await connect(), { ...opts, ownsClient: true, reopen: connect });
  }

  private readonly flushIntervalMs: number;
  private readonly maxBufferBytes: number;
  private readonly maxHeldBytes: number;
  /** Producers waiting in whenRoom() for held bytes to drop under maxHeldBytes. */
  private roomWaiters: Array<() => void> = [];
  /** Whether close() closes the current client: given by the caller, or one the writer opened. */
  private ownsClient: boolean;
  private readonly placeCacheSize: number;
  private readonly reopen: (() => Promise<WriterConnection>) | null;
  /** null after a failed flush discarded it; the next flush reopens. */
  private client: WriterConnection | null;

  private buf: Buffer = emptyBuffer();
  private readonly open = new Map<string, OpenNode>();
  /** Places of nodes this writer has committed (an LRU-ish cache; misses read the database). */
  private readonly places = new Map<string, Place>();
  /** Next root seq per session this writer has committed to. */
  private readonly rootNext = new Map<string, number>();
  /** Sessions the database refused (deleted): further ops for them are dropped at once. */
  private readonly rejectedSessions = new Set<string>();
  /** Bumped whenever places leave the caches, so a placement reading meanwhile starts over. */
  private cacheGeneration = 0;

  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Failures that wait for a retry (not refusals, which go session by session), and the latest. */
  private retryableFailures = 0;
  private lastFailure: unknown = null;
  /** A backpressure wait timed out; no more waits until a commit completes. */
  private stalled = false;
  private chain: Promise<void> = Promise.resolve();
  /** Batches sent and not yet handled, oldest first. */
  private inflight: InFlight[] = [];
  /** The buffer a send is preparing (a failure meanwhile puts it back and aborts the send). */
  private sending: { b: Buffer; aborted: boolean } | null = null;
  /** The database refused a batch: the next flush commits session by session. */
  private commitPerSessionNext = false;
  private closed = false;
  private counters = { flushes: 0, committedOps: 0, failedFlushes: 0 };

  constructor(client: WriterConnection, opts: LogWriterOptions = {}) {
    super();
    this.client = client;
    this.reopen = opts.reopen ?? null;
    this.flushIntervalMs = opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.maxBufferBytes = opts.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES;
    this.maxHeldBytes = opts.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES;
    this.ownsClient = opts.ownsClient ?? false;
    this.placeCacheSize = opts.placeCacheSize ?? 20_000;
  }

  // ---------------------------------------------------------------- append API

  /**
   * Starts a node and returns its id at once. Throws LogsError('INVALID_INPUT') only when no
   * node can be built at all (missing session id or kind); bad optional fields are dropped and
   * reported as an 'error' event.
   */
  startNode(input: StartNodeInput): string {
    if (this.closed) throw new LogsError('WRITER_CLOSED', 'The log writer is closed');
    const v = this.lenientParse(startNodeSchema, input, 'startNode', ['sessionId', 'kind']);
    const id = uuidv7();
    const startPerf = performance.now();
    const startEpoch = Math.floor(performance.timeOrigin + startPerf);
    const startedAt = new Date(startEpoch).toISOString();
    const status: LogStatus = v.status ?? 'streaming';
    const final = (FINAL_LOG_STATUSES as readonly string[]).includes(status);
    if (!final) {
      this.open.set(id, { sessionId: v.sessionId, kind: v.kind, startPerf, startEpoch, nextChunk: 0, streaming: status === 'streaming' });
    }
    if (this.rejectedSessions.has(v.sessionId)) {
      this.reportDropped(v.sessionId, 'startNode');
      return id;
    }
    const toolArgs = v.toolArgs === undefined || v.toolArgs === null ? null : JSON.stringify(v.toolArgs);
    const op: NewNodeOp = {
      id,
      sessionId: v.sessionId,
      parentId: v.parentId ?? null,
      causeId: v.causeId ?? null,
      kind: v.kind,
      role: v.role ?? null,
      status,
      content: v.content ?? '',
      metadata: v.metadata ?? {},
      model: v.model ?? null,
      provider: v.provider ?? null,
      startedAt,
      endedAt: final ? startedAt : null,
      toolName: v.toolName ?? null,
      toolArgs,
    };
    this.buf.nodes.push(op);
    this.accepted(200 + op.content.length + (toolArgs?.length ?? 0), final);
    return id;
  }

  /**
   * Appends streamed text to a streaming node (for an 'action' node: the tool-call arguments as
   * they stream). Never throws; returns false (and emits 'error') if the node is not streaming.
   */
  appendDelta(nodeId: string, text: string): boolean {
    const node = this.open.get(nodeId);
    if (this.closed || !node || !node.streaming || typeof text !== 'string') {
      this.emitError(
        new LogsError(this.closed ? 'WRITER_CLOSED' : 'INVALID_INPUT', `appendDelta: node ${nodeId} is not streaming in this writer`, { nodeId }),
      );
      return false;
    }
    if (text.length === 0) return true;
    if (this.rejectedSessions.has(node.sessionId)) {
      this.reportDropped(node.sessionId, 'appendDelta');
      return false;
    }
    // One clock read per delta: it is the hot path.
    const perf = performance.now();
    const atMs = perf > node.startPerf ? Math.round(perf - node.startPerf) : 0;
    this.buf.chunks.push([nodeId, node.nextChunk++, text, atMs]);
    this.buf.chunkSessions.set(nodeId, node.sessionId);
    this.accepted(24 + text.length, false, performance.timeOrigin + perf);
    return true;
  }

  /**
   * Moves a tool call through its states; 'denied' ends it. `metadata` is merged into the node's
   * (e.g. an approval's deadline). Flushes at once. Never throws.
   */
  updateToolStatus(nodeId: string, status: ToolLogStatus, metadata?: Record<string, JsonValue>): boolean {
    const node = this.open.get(nodeId);
    if (this.closed || !node || !(TOOL_LOG_STATUSES as readonly string[]).includes(status)) {
      this.emitError(new LogsError(this.closed ? 'WRITER_CLOSED' : 'INVALID_INPUT', `updateToolStatus: node ${nodeId} is not open or '${status}' is not a tool status`, { nodeId, status }));
      return false;
    }
    node.streaming = false;
    const op: UpdateOp = { id: nodeId, sessionId: node.sessionId, status };
    if (metadata !== undefined) {
      const meta = metadataSchema.safeParse(metadata);
      if (meta.success) op.metadata = meta.data;
      else this.emitError(new LogsError('INVALID_INPUT', `updateToolStatus: metadata dropped: ${meta.error.message}`, { nodeId }));
    }
    if (status === 'denied') {
      op.endedAt = this.endedAt(node);
      op.durationMs = Math.max(0, Math.round(performance.now() - node.startPerf));
      this.open.delete(nodeId);
    }
    return this.queueUpdate(node.sessionId, op);
  }

  /** Ends a node: final status, usage, tool result… Flushes at once. Never throws. */
  finishNode(nodeId: string, input: FinishNodeInput): boolean {
    const node = this.open.get(nodeId);
    if (this.closed || !node) {
      this.emitError(new LogsError(this.closed ? 'WRITER_CLOSED' : 'INVALID_INPUT', `finishNode: node ${nodeId} is not open in this writer`, { nodeId }));
      return false;
    }
    let v: z.output<typeof finishNodeSchema>;
    try {
      v = this.lenientParse(finishNodeSchema, input, 'finishNode', []);
    } catch (e) {
      // Not even a status: still end the node (an open node would wait for recovery), as an error.
      v = { status: 'error', error: `invalid finishNode input: ${(e as Error).message}` };
    }
    const status = v.status;
    this.open.delete(nodeId);
    const op: UpdateOp = {
      id: nodeId,
      sessionId: node.sessionId,
      status,
      endedAt: this.endedAt(node),
      durationMs: v.durationMs ?? Math.max(0, Math.round(performance.now() - node.startPerf)),
    };
    if (v.content !== undefined) op.content = v.content;
    if (v.toolArgs !== undefined && v.toolArgs !== null) op.toolArgs = v.toolArgs;
    if (v.toolResult !== undefined && v.toolResult !== null) op.toolResult = v.toolResult;
    if (v.tokensIn !== undefined) op.tokensIn = v.tokensIn;
    if (v.tokensOut !== undefined) op.tokensOut = v.tokensOut;
    if (v.tokensReasoning !== undefined) op.tokensReasoning = v.tokensReasoning;
    if (v.costUsd !== undefined) op.costUsd = v.costUsd;
    if (v.model) op.model = v.model;
    if (v.provider) op.provider = v.provider;
    const meta = { ...(v.metadata ?? {}), ...(v.error !== undefined ? { error: v.error } : {}) };
    if (Object.keys(meta).length > 0) op.metadata = meta;
    return this.queueUpdate(node.sessionId, op);
  }

  /** Commits everything accepted so far. Rejects if a flush attempt fails (the data stays buffered and is retried). */
  async flush(): Promise<void> {
    do {
      const failedBefore = this.retryableFailures;
      await this.runFlush(true);
      try {
        await this.settled();
      } catch (e) {
        // A refused batch is not a failed flush yet: the next round commits it session by session.
        if (!this.commitPerSessionNext) throw e;
      }
      // A batch can fail before settled() looks at it (a connection that answers at once): its
      // failure then is only in the counters, and going round again at once would spin on
      // microtasks forever, starving every timer (the retry's among them).
      if (this.retryableFailures > failedBefore) throw this.lastFailure;
    } while (this.buf.ops > 0);
  }

  /**
   * Resolves at once while the writer holds less than maxHeldBytes, else once commits brought it
   * under (or the writer closed). A producer that can pause — a model stream, which then stops
   * reading from the provider — awaits this between ops, so a database held by another program
   * for minutes costs bounded memory instead of growing the buffer without end.
   */
  whenRoom(): Promise<void> {
    if (this.closed || this.heldBytes() < this.maxHeldBytes) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private heldBytes(): number {
    let bytes = this.buf.bytes;
    for (const f of this.inflight) bytes += f.b.bytes;
    return bytes;
  }

  private wakeRoomWaiters(): void {
    if (this.roomWaiters.length === 0 || (!this.closed && this.heldBytes() >= this.maxHeldBytes)) return;
    for (const resolve of this.roomWaiters.splice(0)) resolve();
  }

  /** Flushes (retrying a few times over a few seconds) and stops. Closes the client if owned. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    let lastError: unknown = null;
    for (let attempt = 0; attempt < CLOSE_ATTEMPTS && (this.buf.ops > 0 || this.inflight.length > 0); attempt++) {
      try {
        await this.runFlush(true);
        await this.settled();
        lastError = null;
      } catch (e) {
        lastError = e;
        if (this.commitPerSessionNext) continue; // refused: committed session by session next round
        this.clearTimers();
        await new Promise((r) => setTimeout(r, Math.min(MAX_RETRY_DELAY_MS, 50 * 2 ** attempt)));
      }
    }
    await this.chain;
    await this.settled().catch(() => undefined);
    const lost = this.buf.ops;
    this.wakeRoomWaiters();
    if (this.ownsClient) this.client?.close();
    if (lost > 0) {
      throw new LogsError('FLUSH_FAILED', `Log writer closed with ${lost} unwritten ops: ${String(lastError)}`, { lost });
    }
  }

  /** Ids of nodes started by this writer and not yet finished. */
  openNodeIds(): string[] {
    return [...this.open.keys()];
  }

  stats(): LogWriterStats {
    return {
      bufferedOps: this.buf.ops,
      bufferedBytes: this.buf.bytes,
      openNodes: this.open.size,
      ...this.counters,
    };
  }

  // ---------------------------------------------------------------- buffering

  private queueUpdate(sessionId: string, op: UpdateOp): boolean {
    if (this.rejectedSessions.has(sessionId)) {
      this.reportDropped(sessionId, 'update');
      return false;
    }
    const prev = this.buf.updates.get(op.id);
    if (prev) {
      const metadata = prev.metadata || op.metadata ? { ...prev.metadata, ...op.metadata } : undefined;
      this.buf.updates.set(op.id, { ...prev, ...op, ...(metadata ? { metadata } : {}) });
    } else {
      this.buf.updates.set(op.id, op);
    }
    this.accepted(100 + approxSize(op.toolResult) + approxSize(op.toolArgs) + (op.content?.length ?? 0), true);
    return true;
  }

  private accepted(bytes: number, urgent: boolean, now = nowEpoch()): void {
    if (this.buf.ops === 0) this.buf.acceptedFrom = now;
    this.buf.acceptedTo = now;
    this.buf.ops++;
    this.buf.bytes += bytes;
    this.schedule(urgent || this.buf.bytes >= this.maxBufferBytes);
    // Backpressure (worker connection only): while the pipeline is full, a producer faster than
    // the database would keep growing the next batch until its oldest event misses the
    // durability bound. Once the buffer holds a flush's worth (64 KB) or its oldest op waited
    // BACKPRESSURE_MS, the producer waits here until the oldest batch in flight is answered, as
    // it always did for its commit when commits ran on its thread. Room left: returns at once.
    // A commit stuck longer than MAX_BACKPRESSURE_WAIT_MS (a busy database) holds the producer
    // once, not on every op: the next waits start after a commit completes.
    if (!this.stalled && (this.buf.bytes >= this.maxBufferBytes || now - this.buf.acceptedFrom > BACKPRESSURE_MS)) {
      this.stalled = this.client?.waitIdle?.(MAX_BACKPRESSURE_WAIT_MS, this.pipelineDepth() - 1) === false;
    }
  }

  private schedule(now: boolean): void {
    if (this.closed || this.retryTimer) return; // close() flushes itself; a retry is pending
    if (now) {
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.kick();
      });
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.kick();
      }, this.flushIntervalMs);
    }
  }

  private kick(): void {
    this.clearTimers();
    // Errors were reported as 'error' events and a retry is armed; nothing to do here.
    this.runFlush().catch(() => undefined);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = this.immediate = this.retryTimer = null;
  }

  /**
   * Sends are strictly serial: one connection, and each batch builds on the places of the ones
   * before it. `force` (flush, close) sends even while a retry is waiting for its delay.
   */
  private runFlush(force = false): Promise<void> {
    const p = this.chain.then(() => this.flushOnce(force));
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Resolves when every batch sent so far has committed; rejects if one of them failed. */
  private async settled(): Promise<void> {
    const last = this.inflight.at(-1);
    if (last) await last.done;
  }

  // ---------------------------------------------------------------- flushing

  private async flushOnce(force: boolean): Promise<void> {
    // Room in the pipeline: the oldest batch in flight must be answered first.
    while (this.inflight.length >= this.pipelineDepth()) await this.inflight[0]!.answered;
    if (this.buf.ops === 0) return;
    if (this.retryTimer && !force) return; // a failed flush waits out its retry delay
    const taken = this.buf;
    this.buf = emptyBuffer();
    if (this.commitPerSessionNext) {
      // The database refused a batch outright (a constraint: usually a session deleted while it
      // streamed). Commit session by session so one bad session cannot block the others.
      this.commitPerSessionNext = false;
      try {
        await this.commitPerSession(taken);
        this.failures = 0;
      } catch (e) {
        // Transient again: commitPerSession has put back everything it did not commit.
        this.discardClient();
        this.retryLater(e);
        throw e;
      }
      return;
    }
    await this.send(taken);
  }

  /**
   * Places a buffer's nodes and sends its batch without waiting for the commit, so the next
   * batch can be on its way while this one commits (worker connections: the worker never waits
   * for the main thread between two commits). Each batch is answered in order; onCommitted and
   * onFailed take it from there.
   */
  private async send(b: Buffer): Promise<void> {
    const sending = { b, aborted: false };
    this.sending = sending;
    try {
      let prepared: Prepared;
      let conn: WriterConnection;
      try {
        prepared = await this.prepare(b);
        conn = await this.connection();
      } catch (e) {
        // A read for placing the nodes failed (busy…), or no connection: nothing was sent.
        if (sending.aborted) return; // a failure before it already put it back
        this.counters.failedFlushes++;
        this.discardClient();
        this.restore(b);
        this.retryLater(e);
        throw e;
      }
      // A batch in flight failed while this one was being prepared: onFailed put this buffer
      // back in its place, and its places may rest on that batch's.
      if (sending.aborted) return;
      this.reportPlacement(prepared.placed);
      const previous = this.inflight.at(-1);
      const { stmts } = prepared;
      const result: Promise<ResultSet[]> =
        stmts.length === 0
          ? (previous?.answered ?? Promise.resolve()).then(() => [])
          : previous && conn.batchAfterPrevious
            ? conn.batchAfterPrevious(stmts, 'write')
            : conn.batch(stmts, 'write');
      // Later batches place their nodes on these places; a failure forgets them all (onFailed).
      this.keepPlaces(prepared.placed);
      const entry: InFlight = { b, prepared, aborted: false, answered: Promise.resolve(), done: Promise.resolve() };
      entry.done = result.then(
        (results) => this.onCommitted(entry, results),
        (e: unknown) => this.onFailed(entry, e),
      );
      // Registered after `done`, so the entry is settled by the time a waiter sees it answered.
      entry.answered = result.then(
        () => undefined,
        () => undefined,
      );
      // Nobody may be waiting on a batch's outcome (a timer's flush): it is handled either way.
      entry.done.catch(() => undefined);
      this.inflight.push(entry);
    } finally {
      if (this.sending === sending) this.sending = null;
    }
  }

  private onCommitted(entry: InFlight, results: ResultSet[]): void {
    if (entry.aborted) return;
    this.inflight.shift();
    this.failures = 0;
    this.finishCommit(entry.b, entry.prepared, results);
    this.wakeRoomWaiters();
    // Group commit: what piled up during a commit that ran long (a worker commit while the
    // producer kept going) goes at once instead of waiting out the interval timer.
    if (this.buf.ops > 0 && nowEpoch() - this.buf.acceptedFrom >= BACKPRESSURE_MS) this.schedule(true);
  }

  /**
   * A batch failed: it is the oldest in flight (answers come in order), and every batch sent
   * after it was refused unrun by the connection (batchAfterPrevious). All of them, and the one
   * being prepared, go back to the head of the buffer in their order; the places they assumed
   * are forgotten (the database is the truth); the connection is replaced.
   */
  private onFailed(entry: InFlight, e: unknown): never {
    if (entry.aborted) throw e;
    const failed = this.inflight.splice(0);
    for (const f of failed) f.aborted = true;
    this.counters.failedFlushes++;
    this.places.clear();
    this.rootNext.clear();
    this.cacheGeneration++;
    this.discardClient();
    if (this.sending) {
      this.sending.aborted = true;
      this.restore(this.sending.b);
    }
    for (let i = failed.length - 1; i >= 0; i--) this.restore(failed[i]!.b);
    if (isTransient(e)) {
      this.retryLater(e);
    } else {
      this.commitPerSessionNext = true;
      this.schedule(true);
    }
    throw e;
  }

  /** Batches this connection can have in flight at once (see WriterConnection.batchAfterPrevious). */
  private pipelineDepth(): number {
    return this.client?.batchAfterPrevious ? PIPELINE_DEPTH : 1;
  }

  private retryLater(e: unknown): void {
    this.lastFailure = e;
    this.retryableFailures++;
    this.failures++;
    if (!this.closed) {
      if (this.timer) clearTimeout(this.timer);
      if (this.immediate) clearImmediate(this.immediate);
      this.timer = this.immediate = null;
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        this.kick();
      }, Math.min(MAX_RETRY_DELAY_MS, 50 * 2 ** this.failures));
    }
    this.emitError(
      new LogsError('FLUSH_FAILED', `Log flush failed (will retry): ${String((e as Error)?.message ?? e)}`, { cause: e, bufferedOps: this.buf.ops }),
    );
  }

  /** After a failure the connection may be poisoned (see LogWriterOptions.reopen): replace it. */
  private discardClient(): void {
    if (!this.reopen || !this.client) return;
    if (this.ownsClient) {
      try {
        this.client.close();
      } catch {
        // closing a broken connection may fail; it is dropped either way
      }
    }
    this.client = null;
  }

  private async connection(): Promise<WriterConnection> {
    if (!this.client) {
      this.client = await this.reopen!();
      this.ownsClient = true;
    }
    return this.client;
  }

  private restore(taken: Buffer): void {
    const cur = this.buf;
    const updates = new Map(taken.updates);
    for (const [id, op] of cur.updates) {
      const prev = updates.get(id);
      updates.set(id, prev ? { ...prev, ...op, metadata: { ...prev.metadata, ...op.metadata } } : op);
    }
    this.buf = {
      nodes: taken.nodes.concat(cur.nodes),
      chunks: taken.chunks.concat(cur.chunks),
      chunkSessions: new Map([...taken.chunkSessions, ...cur.chunkSessions]),
      updates,
      ops: taken.ops + cur.ops,
      bytes: taken.bytes + cur.bytes,
      acceptedFrom: taken.ops > 0 ? taken.acceptedFrom : cur.acceptedFrom,
      acceptedTo: cur.ops > 0 ? cur.acceptedTo : taken.acceptedTo,
    };
  }

  private async commitPerSession(taken: Buffer): Promise<void> {
    const sessions = new Map<string, Buffer>();
    const part = (sid: string): Buffer => {
      let b = sessions.get(sid);
      if (!b) sessions.set(sid, (b = { ...emptyBuffer(), acceptedFrom: taken.acceptedFrom, acceptedTo: taken.acceptedTo }));
      return b;
    };
    const nodeSession = new Map<string, string>();
    for (const n of taken.nodes) {
      nodeSession.set(n.id, n.sessionId);
      const b = part(n.sessionId);
      b.nodes.push(n);
      b.ops++;
    }
    for (const c of taken.chunks) {
      const sid = taken.chunkSessions.get(c[0]) ?? nodeSession.get(c[0]);
      if (sid === undefined) continue;
      const b = part(sid);
      b.chunks.push(c);
      b.chunkSessions.set(c[0], sid);
      b.ops++;
    }
    for (const u of taken.updates.values()) {
      const b = part(u.sessionId);
      b.updates.set(u.id, u);
      b.ops++;
    }
    const parts = [...sessions];
    for (let i = 0; i < parts.length; i++) {
      const [sid, b] = parts[i]!;
      try {
        await this.commit(b);
      } catch (e) {
        if (isTransient(e)) {
          // Put back this part and every part not tried yet, in order, for the retry.
          for (let k = parts.length - 1; k >= i; k--) this.restore(parts[k]![1]);
          throw e;
        }
        this.discardClient();
        this.rejectedSessions.add(sid);
        for (const [id, n] of this.open) if (n.sessionId === sid) this.open.delete(id);
        this.emitError(
          new LogsError('WRITE_REJECTED', `The database refused the log of session ${sid}; ${b.ops} ops dropped: ${String((e as Error)?.message ?? e)}`, {
            sessionId: sid,
            droppedOps: b.ops,
            cause: e,
          }),
        );
      }
    }
  }

  /** Writes one buffer in one transaction, waiting for it (the per-session path). */
  private async commit(b: Buffer): Promise<void> {
    const prepared = await this.prepare(b);
    this.reportPlacement(prepared.placed);
    const results = prepared.stmts.length > 0 ? await (await this.connection()).batch(prepared.stmts, 'write') : [];
    this.keepPlaces(prepared.placed);
    this.finishCommit(b, prepared, results);
    this.wakeRoomWaiters();
  }

  /** Builds a buffer's statements: nodes placed, then chunks, then status changes and ends. */
  private async prepare(b: Buffer): Promise<Prepared> {
    const placed = await this.place(b);
    const nodeRows = placed.rows;
    const stmts: InStatement[] = [];
    if (nodeRows.length > 0) stmts.push({ sql: INSERT_NODES_JSON_SQL, args: [JSON.stringify(nodeRows)] });
    const chunks = placed.dropped.size > 0 ? b.chunks.filter((c) => !placed.dropped.has(c[0])) : b.chunks;
    if (chunks.length > 0) stmts.push({ sql: INSERT_CHUNKS_SQL, args: [JSON.stringify(chunks)] });
    const updates = [...b.updates.values()].filter((u) => !placed.dropped.has(u.id));
    const updateIndex = updates.length > 0 ? stmts.length : -1;
    if (updates.length > 0) {
      stmts.push({ sql: this.listenerCount('commit') > 0 ? UPDATE_RETURNING_SQL : UPDATE_SQL, args: [JSON.stringify(updates.map(({ sessionId: _s, ...u }) => u))] });
    }
    return { placed, stmts, chunks, updateIndex };
  }

  /**
   * Acts on what placing a batch found, once that batch is really sent: a placement thrown away
   * because a batch before it failed (send() aborted) reports nothing, since its buffer is
   * placed again from the database's truth.
   */
  private reportPlacement(placed: Placed): void {
    for (const sid of placed.missingSessions) this.rejectedSessions.add(sid);
    // Their open entries would only collect more doomed deltas.
    for (const id of placed.dropped) this.open.delete(id);
    if (placed.problems.length > 0) {
      this.emitError(new LogsError('WRITE_REJECTED', `Log writer: ${placed.problems.join('; ')}`, { problems: placed.problems }));
    }
  }

  /** The places of a sent batch become known to the batches after it. */
  private keepPlaces(placed: Placed): void {
    for (const [id, p] of placed.places) this.places.set(id, p);
    for (const [sid, next] of placed.rootNext) this.rootNext.set(sid, next);
  }

  /** A batch committed: count it and tell the listeners. */
  private finishCommit(b: Buffer, prepared: Prepared, results: ResultSet[]): void {
    const committedAt = nowEpoch();
    this.stalled = false;
    this.counters.flushes++;
    this.counters.committedOps += b.ops;
    this.evictPlaces();
    if (this.listenerCount('commit') > 0) {
      const updatedRows: Row[] = prepared.updateIndex >= 0 ? (results[prepared.updateIndex]?.rows ?? []) : [];
      const commit: LogCommit = {
        inserted: prepared.placed.inserted,
        deltas: deltasOf(prepared.chunks, b.chunkSessions),
        updated: nodesFromReturning(updatedRows),
        acceptedFrom: b.acceptedFrom,
        acceptedTo: b.acceptedTo,
        committedAt,
        ops: b.ops,
      };
      try {
        this.emit('commit', commit);
      } catch (e) {
        // A listener's bug must not look like a failed flush (the data is committed).
        this.emitError(new LogsError('FLUSH_FAILED', `A 'commit' listener threw: ${String(e)}`, { cause: e }));
      }
    }
  }

  /**
   * Reads from the database what the caches do not know about a buffer's nodes: the places of
   * unknown parents and causes, and the next root seq of unknown sessions. A session asked for
   * and not found is in `missingSessions` — the one answer that lets the writer drop its nodes.
   */
  private async readUnknownPlaces(b: Buffer): Promise<PlacementReads> {
    const batchIds = new Set(b.nodes.map((n) => n.id));
    const unknownNodes = new Set<string>();
    const unknownSessions = new Set<string>();
    for (const n of b.nodes) {
      if (n.parentId === null) {
        if (!this.rootNext.has(n.sessionId)) unknownSessions.add(n.sessionId);
      } else if (!batchIds.has(n.parentId) && !this.places.has(n.parentId)) {
        unknownNodes.add(n.parentId);
      }
      if (n.causeId !== null && !batchIds.has(n.causeId) && !this.places.has(n.causeId)) unknownNodes.add(n.causeId);
      // A node placed under an unknown parent may fall back to a root, so know its session.
      if (n.parentId !== null && !this.rootNext.has(n.sessionId)) unknownSessions.add(n.sessionId);
    }

    const dbPlaces = new Map<string, Place>();
    if (unknownNodes.size > 0) {
      const rs = await (await this.connection()).execute({
        sql: `SELECT p.id, p.session_id, p.path, p.depth,
                (SELECT coalesce(max(c.seq) + 1, 0) FROM log_nodes c WHERE c.parent_id = p.id) AS next
              FROM log_nodes p WHERE p.id IN (SELECT value FROM json_each(?))`,
        args: [JSON.stringify([...unknownNodes])],
      });
      for (const r of rs.rows) {
        dbPlaces.set(String(r.id), { sessionId: String(r.session_id), path: String(r.path), depth: Number(r.depth), nextChild: Number(r.next) });
      }
    }
    const rootNext = new Map<string, number>();
    const missingSessions = new Set<string>();
    if (unknownSessions.size > 0) {
      const rs = await (await this.connection()).execute({
        sql: `SELECT s.id, (SELECT coalesce(max(l.seq) + 1, 0) FROM log_nodes l WHERE l.session_id = s.id AND l.parent_id IS NULL) AS next
              FROM sessions s WHERE s.id IN (SELECT value FROM json_each(?))`,
        args: [JSON.stringify([...unknownSessions])],
      });
      // Remembered even if this batch places no root there: the session is known to exist.
      for (const r of rs.rows) rootNext.set(String(r.id), Number(r.next));
      for (const sid of unknownSessions) if (!rootNext.has(sid)) missingSessions.add(sid);
    }
    return { dbPlaces, rootNext, missingSessions };
  }

  /**
   * Gives every new node its seq, depth and path. Known places come from the cache; unknown
   * parents, causes and sessions are read in at most two queries. Nothing is written here, and
   * the new places only reach the cache once the batch is sent (keepPlaces).
   */
  private async place(b: Buffer): Promise<Placed> {
    const places = new Map<string, Place>();
    const knownPlace = (id: string): Place | undefined => places.get(id) ?? this.places.get(id);
    // The reads below yield to the event loop, and a batch in flight may fail meanwhile: its
    // failure clears the caches this placement started from (onFailed). Deciding with a cache
    // cleared under our feet once made a live session look deleted and dropped its nodes, so a
    // placement whose caches changed while it read starts over from what is known now.
    let read: PlacementReads;
    for (;;) {
      const generation = this.cacheGeneration;
      read = await this.readUnknownPlaces(b);
      if (generation === this.cacheGeneration) break;
    }
    const { dbPlaces, rootNext, missingSessions } = read;

    const rows: unknown[][] = [];
    const inserted: LogNode[] = [];
    const dropped = new Set<string>();
    const problems: string[] = [];
    for (const n of b.nodes) {
      const rootSeq = rootNext.get(n.sessionId) ?? this.rootNext.get(n.sessionId);
      if (rootSeq === undefined) {
        // Only the database's own answer ("no such session") may drop a node; anything else is a
        // bug that must fail the flush (and be retried), never lose data.
        if (!missingSessions.has(n.sessionId)) {
          throw new LogsError('FLUSH_FAILED', `Log writer: no place known for session ${n.sessionId} (not looked up); will retry`);
        }
        dropped.add(n.id);
        problems.push(`session ${n.sessionId} does not exist: node ${n.id} dropped`);
        continue;
      }
      const metadata = { ...n.metadata };
      let parent: Place | undefined;
      if (n.parentId !== null) {
        const p = knownPlace(n.parentId) ?? dbPlaces.get(n.parentId);
        if (!p || p.sessionId !== n.sessionId || p.depth >= MAX_DEPTH || dropped.has(n.parentId)) {
          // Keep the data: the node becomes a root and remembers the parent it asked for.
          metadata.orphanedParentId = n.parentId;
          problems.push(`node ${n.id}: parent ${n.parentId} is unknown, in another session or too deep; stored as a root`);
        } else {
          parent = p;
          // Copy so the cache is only touched after the commit.
          if (!places.has(n.parentId)) places.set(n.parentId, { ...p });
          parent = places.get(n.parentId)!;
        }
      }
      let causeId = n.causeId;
      if (causeId !== null) {
        const c = knownPlace(causeId) ?? dbPlaces.get(causeId);
        if (!c || c.sessionId !== n.sessionId || dropped.has(causeId)) {
          metadata.unknownCauseId = causeId;
          problems.push(`node ${n.id}: cause ${causeId} is unknown or in another session; cause dropped`);
          causeId = null;
        }
      }
      let seq: number;
      let place: Place;
      if (parent) {
        seq = parent.nextChild++;
        place = { sessionId: n.sessionId, path: childPath(parent.path, seq), depth: parent.depth + 1, nextChild: 0 };
      } else {
        seq = rootSeq;
        rootNext.set(n.sessionId, rootSeq + 1);
        place = { sessionId: n.sessionId, path: childPath(null, seq), depth: 0, nextChild: 0 };
      }
      places.set(n.id, place);
      const parentId = parent ? n.parentId : null;
      const metadataText = JSON.stringify(metadata);
      rows.push([
        n.id, n.sessionId, parentId, causeId, seq, place.depth, place.path, n.kind, n.role,
        n.status, n.content, metadataText, n.model, n.provider, n.startedAt, n.endedAt, n.toolName, n.toolArgs,
      ]);
      inserted.push({
        id: n.id,
        sessionId: n.sessionId,
        parentId,
        causeId,
        seq,
        depth: place.depth,
        kind: n.kind,
        role: n.role,
        status: n.status,
        content: n.content,
        metadata,
        model: n.model,
        provider: n.provider,
        tokensIn: 0,
        tokensOut: 0,
        tokensReasoning: 0,
        costUsd: 0,
        startedAt: n.startedAt,
        endedAt: n.endedAt,
        toolName: n.toolName,
        toolArgs: n.toolArgs === null ? null : (JSON.parse(n.toolArgs) as JsonValue),
        toolResult: null,
        durationMs: null,
        childCount: 0,
      });
    }
    return { rows, inserted, places, rootNext, dropped, missingSessions, problems };
  }

  private evictPlaces(): void {
    if (this.places.size <= this.placeCacheSize) return;
    const target = Math.floor(this.placeCacheSize / 2);
    let evicted = false;
    for (const id of this.places.keys()) {
      if (this.places.size <= target) break;
      if (!this.open.has(id) && this.places.delete(id)) evicted = true;
    }
    // A placement reading meanwhile may have counted on an evicted place (see place()).
    if (evicted) this.cacheGeneration++;
  }

  private endedAt(node: OpenNode): string {
    return new Date(Math.max(node.startEpoch, Math.floor(nowEpoch()))).toISOString();
  }

  private lenientParse<T extends z.ZodObject>(schema: T, input: unknown, what: string, required: string[]): z.output<T> {
    const r = schema.safeParse(input);
    if (r.success) return r.data;
    const bad = new Set(r.error.issues.map((i) => String(i.path[0] ?? '')));
    const fatal = required.find((k) => bad.has(k)) ?? (bad.has('') ? 'input' : undefined);
    const message = `${what}: ${r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`;
    if (fatal) throw new LogsError('INVALID_INPUT', message, { issues: r.error.issues });
    this.emitError(new LogsError('INVALID_INPUT', `${message} (field dropped)`, { issues: r.error.issues }));
    const cleaned = Object.fromEntries(Object.entries(input as Record<string, unknown>).filter(([k]) => !bad.has(k)));
    const again = schema.safeParse(cleaned);
    if (again.success) return again.data;
    throw new LogsError('INVALID_INPUT', message, { issues: again.error.issues });
  }

  /** Once a second per session at most: a refused session's stream would otherwise report every delta. */
  private reportDropped(sessionId: string, what: string): void {
    const now = Date.now();
    if ((this.droppedReportedAt.get(sessionId) ?? 0) > now - 1_000) return;
    this.droppedReportedAt.set(sessionId, now);
    this.emitError(new LogsError('WRITE_REJECTED', `${what}: session ${sessionId} was refused by the database; ops dropped`, { sessionId }));
  }
  private readonly droppedReportedAt = new Map<string, number>();

  /** EventEmitter throws on an unheard 'error'; a log problem must never crash the app. */
  private emitError(e: LogsError): void {
    if (this.listenerCount('error') > 0) {
      try {
        this.emit('error', e);
        return;
      } catch {
        // fall through to the console
      }
    }
    console.warn(`[paddock logs] ${e.message}`);
  }
}

/** Rough size of a value for the 64 KB trigger (exactness does not matter; cost does). */
function approxSize(v: JsonValue | undefined): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string') return v.length;
  return typeof v === 'object' ? JSON.stringify(v).length : 8;
}

function deltasOf(chunks: readonly ChunkRow[], sessionOf: ReadonlyMap<string, string>): LogDelta[] {
  const byNode = new Map<string, LogDelta>();
  for (const [nodeId, seq, text, atMs] of chunks) {
    const d = byNode.get(nodeId);
    if (d) {
      d.text += text;
      d.chunkCount++;
      d.lastAtMs = atMs;
    } else {
      byNode.set(nodeId, { sessionId: sessionOf.get(nodeId) ?? '', nodeId, text, firstChunkSeq: seq, chunkCount: 1, lastAtMs: atMs });
    }
  }
  return [...byNode.values()];
}
