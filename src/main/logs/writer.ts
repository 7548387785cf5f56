// The live write path: what a running agent produces (node started, text delta, tool state,
// node finished) is buffered in memory and committed in groups, so a model streaming hundreds of
// deltas a second costs a handful of transactions instead of one per delta (seed 004 rewrote the
// whole message and committed once per delta).
//
// Flush policy: the first buffered op arms a 50 ms timer; 64 KB of buffered text, a node's end
// or a tool status change flush at once (next macrotask, so calls in the same tick share it).
// Each flush is ONE `client.batch(…, 'write')` of set-based statements (writer/statements.ts):
//   1. INSERT … SELECT FROM json_each(?)  — all new nodes, parents first
//   2. INSERT … SELECT FROM json_each(?)  — the new chunks of nodes still streaming after it
//   3. UPDATE … FROM json_each(?) RETURNING — all status changes / finishes, which also fold a
//      node's chunks into content (or tool_args for an action) as it leaves 'streaming'
//   4. the fold (writer/fold.ts): a node that ends keeps its streamed text once, its deltas'
//      timing packed as they arrived (writer/timing.ts) into one log_timings row
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
//
// This file is the writer's face: validating and buffering the calls. The parts behind it, in
// writer/: api (options, inputs, events), connect (worker or main thread), buffer (what is
// accepted and not yet committed), timing (a streaming node's deltas packed), placement (seq,
// depth, path), statements and fold (the SQL of a batch), pipeline (sending batches, retries,
// backpressure), timers (when a flush starts), events (the 'commit' event).

import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { JsonValue, LogStatus } from '../../shared/domain.js';
import type { DatabaseLocation } from '../db/connection.js';
import { wellFormedJson } from '../db/well-formed-json.js';
import { LogsError } from './errors.js';
import { FINAL_LOG_STATUSES, TOOL_LOG_STATUSES, metadataSchema } from './validation.js';
import type { WriterConnection } from './worker-connection.js';
import {
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_BUFFER_BYTES,
  DEFAULT_MAX_HELD_BYTES,
  finishNodeSchema,
  lenientParse,
  startNodeSchema,
  type FinishNodeInput,
  type LogWriterEvents,
  type LogWriterOptions,
  type LogWriterStats,
  type StartNodeInput,
  type ToolLogStatus,
} from './writer/api.js';
import { approxSize, mergeUpdate, nowEpoch, type NewNodeOp, type UpdateOp } from './writer/buffer.js';
import { writerConnector } from './writer/connect.js';
import { Pipeline } from './writer/pipeline.js';
import { joinDelta, unpairedHalf } from './writer/surrogates.js';
import { TimingPacker, foldOf, type OpenNode } from './writer/timing.js';

const usageNoteSchema = finishNodeSchema.pick({ tokensIn: true, tokensOut: true, tokensReasoning: true, costUsd: true });

export { DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_MAX_BUFFER_BYTES, DEFAULT_MAX_HELD_BYTES } from './writer/api.js';
export type {
  FinishNodeInput,
  LogCommit,
  LogDelta,
  LogWriterEvents,
  LogWriterOptions,
  LogWriterStats,
  StartNodeInput,
  ToolLogStatus,
} from './writer/api.js';

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
    const connect = writerConnector(location, opts.worker ?? true);
    return new LogWriter(await connect(), { ...opts, ownsClient: true, reopen: connect });
  }

  private readonly open = new Map<string, OpenNode>();
  /** Sessions the database refused (deleted): further ops for them are dropped at once. */
  private readonly rejectedSessions = new Set<string>();
  private readonly pipeline: Pipeline;

  constructor(client: WriterConnection, opts: LogWriterOptions = {}) {
    super();
    this.pipeline = new Pipeline(
      {
        open: this.open,
        rejectedSessions: this.rejectedSessions,
        emitError: (e) => this.emitError(e),
        listening: () => this.listenerCount('commit') > 0,
        emitCommit: (commit) => this.emit('commit', commit),
      },
      {
        client,
        ownsClient: opts.ownsClient ?? false,
        reopen: opts.reopen ?? null,
        flushIntervalMs: opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
        maxBufferBytes: opts.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES,
        maxHeldBytes: opts.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES,
        placeCacheSize: opts.placeCacheSize ?? 20_000,
      },
    );
  }

  private get closed(): boolean {
    return this.pipeline.closed;
  }

  /**
   * Starts a node and returns its id at once. Throws LogsError('INVALID_INPUT') only when no
   * node can be built at all (missing session id or kind); bad optional fields are dropped and
   * reported as an 'error' event.
   */
  startNode(input: StartNodeInput): string {
    if (this.closed) throw new LogsError('WRITER_CLOSED', 'The log writer is closed');
    const v = lenientParse(startNodeSchema, input, 'startNode', ['sessionId', 'kind'], (e) => this.emitError(e));
    const id = uuidv7();
    const startPerf = performance.now();
    const startEpoch = Math.floor(performance.timeOrigin + startPerf);
    const startedAt = new Date(startEpoch).toISOString();
    const status: LogStatus = v.status ?? 'streaming';
    const final = (FINAL_LOG_STATUSES as readonly string[]).includes(status);
    if (!final) {
      const streaming = status === 'streaming';
      this.open.set(id, { sessionId: v.sessionId, kind: v.kind, startPerf, startEpoch, nextChunk: 0, heldHalf: '', streaming, timing: streaming ? new TimingPacker() : null });
    }
    if (this.rejectedSessions.has(v.sessionId)) {
      this.reportDropped(v.sessionId, 'startNode');
      return id;
    }
    const toolArgs = v.toolArgs === undefined || v.toolArgs === null ? null : wellFormedJson(v.toolArgs);
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
    this.pipeline.buf.nodes.push(op);
    this.pipeline.accepted(200 + op.content.length + (toolArgs?.length ?? 0), final);
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
    const joined = joinDelta(node.heldHalf, text);
    node.heldHalf = joined.held;
    if (joined.text.length > 0) this.pushDelta(nodeId, node, joined.text);
    return true;
  }

  private pushDelta(nodeId: string, node: OpenNode, text: string): void {
    // One clock read per delta: it is the hot path.
    const perf = performance.now();
    const atMs = perf > node.startPerf ? Math.round(perf - node.startPerf) : 0;
    if (node.timing && !node.timing.push(text, atMs)) node.timing = null;
    this.pipeline.buf.chunks.push([nodeId, node.nextChunk++, text, atMs]);
    this.pipeline.buf.chunkSessions.set(nodeId, node.sessionId);
    this.pipeline.accepted(24 + text.length, false, performance.timeOrigin + perf);
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
    const op: UpdateOp = { id: nodeId, sessionId: node.sessionId, status };
    this.leaveStreaming(node, op);
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

  /**
   * Token counts (and their cost) a provider reported for a node still streaming, stored at
   * once so that they survive a crash before the node ends (recovery then counts them into the
   * session's totals). Never throws; false when the node is not streaming in this writer.
   */
  noteUsage(nodeId: string, usage: Pick<FinishNodeInput, 'tokensIn' | 'tokensOut' | 'tokensReasoning' | 'costUsd'>): boolean {
    const node = this.open.get(nodeId);
    const v = usageNoteSchema.safeParse(usage);
    if (this.closed || !node || !node.streaming || !v.success) {
      this.emitError(new LogsError(this.closed ? 'WRITER_CLOSED' : 'INVALID_INPUT', `noteUsage: node ${nodeId} is not streaming or the counts are invalid`, { nodeId }));
      return false;
    }
    return this.queueUpdate(node.sessionId, { id: nodeId, sessionId: node.sessionId, status: 'streaming', ...v.data });
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
      v = lenientParse(finishNodeSchema, input, 'finishNode', [], (e) => this.emitError(e));
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
    this.leaveStreaming(node, op);
    if (v.model) op.model = v.model;
    if (v.provider) op.provider = v.provider;
    const meta = { ...(v.metadata ?? {}), ...(v.error !== undefined ? { error: v.error } : {}) };
    if (Object.keys(meta).length > 0) op.metadata = meta;
    return this.queueUpdate(node.sessionId, op);
  }

  /** Commits everything accepted so far. Rejects if a flush attempt fails (the data stays buffered and is retried). */
  flush(): Promise<void> {
    return this.pipeline.flush();
  }

  /**
   * Resolves at once while the writer holds less than maxHeldBytes, else once commits brought it
   * under (or the writer closed). A producer that can pause — a model stream, which then stops
   * reading from the provider — awaits this between ops, so a database held by another program
   * for minutes costs bounded memory instead of growing the buffer without end.
   */
  whenRoom(): Promise<void> {
    return this.pipeline.whenRoom();
  }

  /** Flushes (retrying a few times over a few seconds) and stops. Closes the client if owned. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.pipeline.close();
  }

  /** True while something accepted is not committed yet (another writer can then wait for its turn). */
  hasUncommitted(): boolean {
    return this.pipeline.hasUncommitted();
  }

  /** Ids of nodes started by this writer and not yet finished. */
  openNodeIds(): string[] {
    return [...this.open.keys()];
  }

  stats(): LogWriterStats {
    return {
      bufferedOps: this.pipeline.buf.ops,
      bufferedBytes: this.pipeline.buf.bytes,
      openNodes: this.open.size,
      ...this.pipeline.counters,
    };
  }

  private queueUpdate(sessionId: string, op: UpdateOp): boolean {
    if (this.rejectedSessions.has(sessionId)) {
      this.reportDropped(sessionId, 'update');
      return false;
    }
    const updates = this.pipeline.buf.updates;
    updates.set(op.id, mergeUpdate(updates.get(op.id), op));
    this.pipeline.accepted(100 + approxSize(op.toolResult) + approxSize(op.toolArgs) + (op.content?.length ?? 0), true);
    return true;
  }

  /** A node's deltas end here: the op carries their packed timing to the fold (writer/fold.ts). */
  private leaveStreaming(node: OpenNode, op: UpdateOp): void {
    if (!node.streaming) return;
    if (node.heldHalf !== '') this.pushDelta(op.id, node, unpairedHalf(node.heldHalf));
    node.heldHalf = '';
    node.streaming = false;
    const fold = foldOf(node);
    if (fold !== undefined) op.fold = fold;
    node.timing = null;
  }

  private endedAt(node: OpenNode): string {
    return new Date(Math.max(node.startEpoch, Math.floor(nowEpoch()))).toISOString();
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
