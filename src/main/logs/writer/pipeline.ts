// Taking the buffer to the database. Sends are strictly serial (one connection, and each batch
// builds on the places of the ones before it), but the next batch is sent while one commits (a
// pipeline of PIPELINE_DEPTH batches), so the worker never idles while the main thread builds a
// batch; a batch queued behind one that fails is refused unrun (batchAfterPrevious) and both go
// back to the buffer in order (onFailed). Backpressure keeps the durability bound: once the
// buffer holds 64 KB or its oldest op waited BACKPRESSURE_MS while the pipeline is full, the
// producer waits for the oldest batch (see accepted()).
//
// Failure: a flush that fails leaves its ops at the head of the buffer and retries with backoff
// (busy database, full disk…), reporting each failure as an 'error' event; nothing is thrown into
// the caller (the model stream). Only data the database refuses outright (its session was
// deleted) is dropped, per session, with an 'error' event saying what was lost.

import type { ResultSet } from '@libsql/client';
import { isTransientWriteError as isTransient } from '../../db/errors.js';
import { LogsError } from '../errors.js';
import type { WriterConnection } from '../worker-connection.js';
import type { LogCommit } from './api.js';
import { emptyBuffer, nowEpoch, restoreBuffer, splitBySession, type Buffer } from './buffer.js';
import { ConnectionSlot } from './connection-slot.js';
import { commitEvent } from './events.js';
import { Placement, type Placed } from './placement.js';
import { buildStatements, type Prepared } from './statements.js';
import { trackBatch, type InFlight } from './inflight.js';
import { FlushTimers, retryDelay } from './timers.js';

/** Age of the oldest buffered op after which the producer waits for a running commit. */
const BACKPRESSURE_MS = 8;
const MAX_BACKPRESSURE_WAIT_MS = 100;
/** Batches in flight at once on a worker connection: one committing, the next queued behind it. */
const PIPELINE_DEPTH = 2;
const CLOSE_ATTEMPTS = 8;

/** What the pipeline needs of the writer it serves. */
export interface PipelineHost {
  /** Nodes started and not finished: placement drops the entries of dropped nodes, eviction keeps theirs. */
  readonly open: Map<string, { sessionId: string }>;
  /** Sessions the database refused (deleted): further ops for them are dropped at once. */
  readonly rejectedSessions: Set<string>;
  emitError(e: LogsError): void;
  /** Whether anyone listens for commits (only then are updated rows read back). */
  listening(): boolean;
  emitCommit(commit: LogCommit): void;
}

export interface PipelineOptions {
  client: WriterConnection;
  ownsClient: boolean;
  reopen: (() => Promise<WriterConnection>) | null;
  flushIntervalMs: number;
  maxBufferBytes: number;
  maxHeldBytes: number;
  placeCacheSize: number;
}

export class Pipeline {
  /** What was accepted and not yet taken by a flush; the writer's append calls fill it. */
  buf: Buffer = emptyBuffer();
  closed = false;
  readonly counters = { flushes: 0, committedOps: 0, failedFlushes: 0 };

  private readonly maxBufferBytes: number;
  private readonly maxHeldBytes: number;
  private readonly conn: ConnectionSlot;
  private readonly placement: Placement;
  private readonly timers: FlushTimers;
  /** Producers waiting in whenRoom() for held bytes to drop under maxHeldBytes. */
  private roomWaiters: Array<() => void> = [];
  /** A backpressure wait timed out; no more waits until a commit completes. */
  private stalled = false;
  private chain: Promise<void> = Promise.resolve();
  /** Batches sent and not yet handled, oldest first. */
  private inflight: InFlight[] = [];
  /** The buffer a send is preparing (a failure meanwhile puts it back and aborts the send). */
  private sending: { b: Buffer; aborted: boolean } | null = null;
  /** The database refused a batch: the next flush commits session by session. */
  private commitPerSessionNext = false;
  /** Failures that wait for a retry (not refusals, which go session by session), and the latest. */
  private retryableFailures = 0;
  private lastFailure: unknown = null;

  constructor(
    private readonly host: PipelineHost,
    opts: PipelineOptions,
  ) {
    this.maxBufferBytes = opts.maxBufferBytes;
    this.maxHeldBytes = opts.maxHeldBytes;
    this.conn = new ConnectionSlot(opts.client, opts.ownsClient, opts.reopen);
    this.placement = new Placement(opts.placeCacheSize);
    this.timers = new FlushTimers(
      opts.flushIntervalMs,
      // Errors were reported as 'error' events and a retry is armed; nothing to do here.
      () => void this.runFlush().catch(() => undefined),
      () => this.closed,
    );
  }

  /** Counts an op just added to `buf` and starts (or hastens) its flush. */
  accepted(bytes: number, urgent: boolean, now = nowEpoch()): void {
    if (this.buf.ops === 0) this.buf.acceptedFrom = now;
    this.buf.acceptedTo = now;
    this.buf.ops++;
    this.buf.bytes += bytes;
    this.timers.schedule(urgent || this.buf.bytes >= this.maxBufferBytes);
    // Backpressure (worker connection only): while the pipeline is full, a producer faster than
    // the database would keep growing the next batch until its oldest event misses the
    // durability bound. Once the buffer holds a flush's worth (64 KB) or its oldest op waited
    // BACKPRESSURE_MS, the producer waits here until the oldest batch in flight is answered, as
    // it always did for its commit when commits ran on its thread. Room left: returns at once.
    // A commit stuck longer than MAX_BACKPRESSURE_WAIT_MS (a busy database) holds the producer
    // once, not on every op: the next waits start after a commit completes.
    if (!this.stalled && (this.buf.bytes >= this.maxBufferBytes || now - this.buf.acceptedFrom > BACKPRESSURE_MS)) {
      this.stalled = this.conn.current?.waitIdle?.(MAX_BACKPRESSURE_WAIT_MS, this.pipelineDepth() - 1) === false;
    }
  }

  /** Something accepted is not committed yet: buffered, being sent, or sent and awaiting its answer. */
  hasUncommitted(): boolean {
    return this.buf.ops > 0 || this.inflight.length > 0 || this.sending !== null;
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
      // failure then is only counted here, and going round again at once would spin on
      // microtasks forever, starving every timer (the retry's among them).
      if (this.retryableFailures > failedBefore) throw this.lastFailure;
    } while (this.buf.ops > 0);
  }

  /** See LogWriter.whenRoom(). */
  whenRoom(): Promise<void> {
    if (this.closed || this.heldBytes() < this.maxHeldBytes) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Flushes (retrying a few times over a few seconds) and stops. Closes the client if owned. */
  async close(): Promise<void> {
    this.closed = true;
    this.timers.clear();
    let lastError: unknown = null;
    for (let attempt = 0; attempt < CLOSE_ATTEMPTS && this.hasUncommitted(); attempt++) {
      try {
        await this.runFlush(true);
        await this.settled();
        lastError = null;
      } catch (e) {
        lastError = e;
        if (this.commitPerSessionNext) continue; // refused: committed session by session next round
        this.timers.clear();
        await new Promise((r) => setTimeout(r, retryDelay(attempt)));
      }
    }
    await this.chain;
    await this.settled().catch(() => undefined);
    const lost = this.buf.ops;
    this.wakeRoomWaiters();
    this.conn.close();
    if (lost > 0) {
      throw new LogsError('FLUSH_FAILED', `Log writer closed with ${lost} unwritten ops: ${String(lastError)}`, { lost });
    }
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

  private async flushOnce(force: boolean): Promise<void> {
    // Room in the pipeline: the oldest batch in flight must be answered first.
    while (this.inflight.length >= this.pipelineDepth()) await this.inflight[0]!.answered;
    if (this.buf.ops === 0) return;
    if (this.timers.retryPending && !force) return; // a failed flush waits out its retry delay
    const taken = this.buf;
    this.buf = emptyBuffer();
    if (this.commitPerSessionNext) {
      // The database refused a batch outright (a constraint: usually a session deleted while it
      // streamed). Commit session by session so one bad session cannot block the others.
      this.commitPerSessionNext = false;
      try {
        await this.commitPerSession(taken);
        this.timers.succeeded();
      } catch (e) {
        // Transient again: commitPerSession has put back everything it did not commit.
        this.conn.discard();
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
        conn = await this.conn.get();
      } catch (e) {
        // A read for placing the nodes failed (busy…), or no connection: nothing was sent.
        if (sending.aborted) return; // a failure before it already put it back
        this.counters.failedFlushes++;
        this.conn.discard();
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
      this.placement.keep(prepared.placed);
      this.inflight.push(
        trackBatch(b, prepared, result, (entry, results) => this.onCommitted(entry, results), (entry, e) => this.onFailed(entry, e)),
      );
    } finally {
      if (this.sending === sending) this.sending = null;
    }
  }

  private onCommitted(entry: InFlight, results: ResultSet[]): void {
    if (entry.aborted) return;
    this.inflight.shift();
    this.timers.succeeded();
    this.finishCommit(entry.b, entry.prepared, results);
    this.wakeRoomWaiters();
    // Group commit: what piled up during a commit that ran long (a worker commit while the
    // producer kept going) goes at once instead of waiting out the interval timer.
    if (this.buf.ops > 0 && nowEpoch() - this.buf.acceptedFrom >= BACKPRESSURE_MS) this.timers.schedule(true);
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
    this.placement.forget();
    this.conn.discard();
    if (this.sending) {
      this.sending.aborted = true;
      this.restore(this.sending.b);
    }
    for (let i = failed.length - 1; i >= 0; i--) this.restore(failed[i]!.b);
    if (isTransient(e)) {
      this.retryLater(e);
    } else {
      this.commitPerSessionNext = true;
      this.timers.schedule(true);
    }
    throw e;
  }

  /** Batches this connection can have in flight at once (see WriterConnection.batchAfterPrevious). */
  private pipelineDepth(): number {
    return this.conn.current?.batchAfterPrevious ? PIPELINE_DEPTH : 1;
  }

  private retryLater(e: unknown): void {
    this.lastFailure = e;
    this.retryableFailures++;
    this.timers.retry();
    this.host.emitError(
      new LogsError('FLUSH_FAILED', `Log flush failed (will retry): ${String((e as Error)?.message ?? e)}`, { cause: e, bufferedOps: this.buf.ops }),
    );
  }

  private restore(taken: Buffer): void {
    this.buf = restoreBuffer(taken, this.buf);
  }

  private async commitPerSession(taken: Buffer): Promise<void> {
    const parts = [...splitBySession(taken)];
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
        this.conn.discard();
        this.host.rejectedSessions.add(sid);
        for (const [id, n] of this.host.open) if (n.sessionId === sid) this.host.open.delete(id);
        this.host.emitError(
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
    const results = prepared.stmts.length > 0 ? await (await this.conn.get()).batch(prepared.stmts, 'write') : [];
    this.placement.keep(prepared.placed);
    this.finishCommit(b, prepared, results);
    this.wakeRoomWaiters();
  }

  /** Builds a buffer's statements: nodes placed, then chunks, then status changes and ends. */
  private async prepare(b: Buffer): Promise<Prepared> {
    const placed = await this.placement.place(b, () => this.conn.get());
    return buildStatements(b, placed, this.host.listening());
  }

  /**
   * Acts on what placing a batch found, once that batch is really sent: a placement thrown away
   * because a batch before it failed (send() aborted) reports nothing, since its buffer is
   * placed again from the database's truth.
   */
  private reportPlacement(placed: Placed): void {
    for (const sid of placed.missingSessions) this.host.rejectedSessions.add(sid);
    // Their open entries would only collect more doomed deltas.
    for (const id of placed.dropped) this.host.open.delete(id);
    if (placed.problems.length > 0) {
      this.host.emitError(new LogsError('WRITE_REJECTED', `Log writer: ${placed.problems.join('; ')}`, { problems: placed.problems }));
    }
  }

  /** A batch committed: count it and tell the listeners. */
  private finishCommit(b: Buffer, prepared: Prepared, results: ResultSet[]): void {
    const committedAt = nowEpoch();
    this.stalled = false;
    this.counters.flushes++;
    this.counters.committedOps += b.ops;
    this.placement.evict((id) => this.host.open.has(id));
    if (this.host.listening()) {
      try {
        this.host.emitCommit(commitEvent(b, prepared, results, committedAt));
      } catch (e) {
        // A listener's bug must not look like a failed flush (the data is committed).
        this.host.emitError(new LogsError('FLUSH_FAILED', `A 'commit' listener threw: ${String(e)}`, { cause: e }));
      }
    }
  }
}
