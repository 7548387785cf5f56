// A streamed, all-or-nothing import of one session: the session row, its log nodes and chunks,
// and the record of where it came from, written in ONE write transaction as the nodes arrive.
// Nodes come parent first (every format module guarantees it), so each is placed at once
// (seq, depth, path) and only a small id map outlives a batch: memory stays bounded however
// big the file. Rows reach the engine as one JSON parameter per few thousand rows (see import.ts).
import type { Client, InStatement, Transaction } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import type { JsonValue, LogKind, LogStatus, Session } from '../../shared/domain.js';
import { insertSessionStatements } from '../repositories/imports.js';
import { LogsError } from './errors.js';
import { INSERT_CHUNK_ROWS_SQL, INSERT_NODE_ROWS_SQL, MAX_DEPTH } from './import.js';
import { childPath } from './rows.js';
import { OPEN_LOG_STATUSES } from './validation.js';
import { wellFormedJson } from '../db/well-formed-json.js';

const NODE_BATCH = 4_000;
const CHUNK_BATCH = 8_000;
const LOG_KINDS_SET = new Set<string>(['user_message', 'assistant_message', 'thought', 'action', 'observation', 'error', 'system']);
const ROLES = new Set<string>(['user', 'assistant', 'system', 'developer', 'tool', 'reasoning', 'activity']);

/** One node of a streamed import; ids are the file's own, parents come before children. */
export interface StreamNode {
  id: string;
  parentId: string | null;
  causeId?: string | null;
  kind: LogKind;
  role: string | null;
  status: LogStatus;
  content: string;
  metadata: Record<string, JsonValue>;
  model?: string | null;
  provider?: string | null;
  tokensIn?: number;
  tokensOut?: number;
  tokensReasoning?: number;
  costUsd?: number;
  startedAt: string;
  endedAt: string | null;
  toolName?: string | null;
  toolArgs?: JsonValue | null;
  toolResult?: JsonValue | null;
  durationMs?: number | null;
  chunks?: { text: string; atMs: number }[];
}

export interface SessionSourceRecord {
  format: string;
  sourceId: string | null;
  file: string | null;
  metadata: Record<string, JsonValue>;
}

/** What is only known once the whole file was read. */
export interface SessionFinish {
  name: string;
  startedAt: string | null;
  endedAt: string | null;
  tokensIn: number;
  tokensOut: number;
  tokensReasoning: number;
  tokensCached: number;
  costUsd: number;
}

interface Placed {
  id: string;
  path: string;
  depth: number;
  kids: number;
}

/** The fields of a chunk row added for a node already placed (Paddock JSON carries chunks apart from nodes). */
export interface StreamChunk {
  nodeId: string;
  seq: number;
  text: string;
  atMs: number;
}

/**
 * 'keep': stored ids are the file's (a Paddock round trip); 'renew': fresh UUIDv7s; 'renew-and-map':
 * fresh ids and a map of all of them, for files whose chunks come after every node (a Paddock
 * file imported as a copy; that map grows with the file).
 */
export type IdPolicy = 'keep' | 'renew' | 'renew-and-map';

export class StreamedSessionImport {
  readonly #tx: Transaction;
  readonly #sessionId: string;
  readonly #newIds: boolean;
  readonly #placed = new Map<string, Placed>();
  /** File id -> stored id of every node, kept only when ids are renewed (chunks come last). */
  readonly #renamed: Map<string, string> | null;
  #roots = 0;
  #nodeRows: unknown[][] = [];
  #chunkRows: unknown[][] = [];
  #count = 0;
  #closed = false;

  private constructor(tx: Transaction, sessionId: string, ids: IdPolicy) {
    this.#tx = tx;
    this.#sessionId = sessionId;
    this.#newIds = ids !== 'keep';
    this.#renamed = ids === 'renew-and-map' ? new Map() : null;
  }

  /**
   * Opens the write transaction and inserts the session row (its agent and pinned version must
   * exist) with its source record. See IdPolicy for `ids`.
   */
  static async begin(client: Pick<Client, 'transaction'>, session: Session, source: SessionSourceRecord, ids: IdPolicy = 'renew'): Promise<StreamedSessionImport> {
    const tx = await client.transaction('write');
    try {
      await tx.batch([
        ...insertSessionStatements(session),
        {
          sql: `INSERT INTO session_sources (session_id, format, source_id, file, imported_at, metadata) VALUES (?, ?, ?, ?, ?, ?)`,
          args: [session.id, source.format, source.sourceId, source.file, new Date().toISOString(), wellFormedJson(source.metadata)],
        },
      ]);
    } catch (e) {
      await tx.rollback().catch(() => undefined);
      tx.close();
      throw e;
    }
    return new StreamedSessionImport(tx, session.id, ids);
  }

  get sessionId(): string {
    return this.#sessionId;
  }

  get count(): number {
    return this.#count;
  }

  /** The stored id of a node of the file, once it was added. */
  storedId(localId: string): string | undefined {
    return this.#placed.get(localId)?.id;
  }

  /** Places one node under its (already added) parent; writes a batch when one is full. */
  async add(n: StreamNode): Promise<void> {
    if (this.#placed.has(n.id)) throw new LogsError('INVALID_INPUT', `Duplicate node id ${n.id} in import`);
    const parent = n.parentId === null ? null : this.#placed.get(n.parentId);
    if (parent === undefined) throw new LogsError('INVALID_INPUT', `Node ${n.id} comes before its parent ${n.parentId}`);
    if (!LOG_KINDS_SET.has(n.kind)) throw new LogsError('INVALID_INPUT', `Node ${n.id} has an unknown kind ${n.kind}`);
    const seq = parent ? parent.kids++ : this.#roots++;
    const depth = parent ? parent.depth + 1 : 0;
    if (depth > MAX_DEPTH) throw new LogsError('INVALID_INPUT', `Log tree deeper than ${MAX_DEPTH} levels`);
    const path = childPath(parent ? parent.path : null, seq);
    const id = this.#newIds ? uuidv7() : n.id;
    this.#placed.set(n.id, { id, path, depth, kids: 0 });
    this.#renamed?.set(n.id, id);
    this.#nodeRows.push(this.#row(n, id, parent?.id ?? null, seq, depth, path));
    n.chunks?.forEach((c, i) => this.#chunkRows.push([id, i, c.text, c.atMs]));
    this.#count++;
    if (this.#nodeRows.length >= NODE_BATCH || this.#chunkRows.length >= CHUNK_BATCH) await this.flush();
  }

  /**
   * Forgets where the nodes added so far sit: no later node may have one of them as its parent.
   * Format readers say so at the end of each turn, which keeps memory bounded by the largest
   * turn instead of the file.
   */
  forgetPlaced(): void {
    this.#placed.clear();
  }

  /** A streamed piece of a node added earlier (by the file's node id; the node's foreign key checks it). */
  async addChunk(c: StreamChunk): Promise<void> {
    const id = this.#renamed ? this.#renamed.get(c.nodeId) : c.nodeId;
    if (id === undefined) throw new LogsError('INVALID_INPUT', `A chunk belongs to node ${c.nodeId}, which is not in the file`);
    this.#chunkRows.push([id, c.seq, c.text, c.atMs]);
    if (this.#chunkRows.length >= CHUNK_BATCH) await this.flush();
  }

  #row(n: StreamNode, id: string, parentId: string | null, seq: number, depth: number, path: string): unknown[] {
    const open = (OPEN_LOG_STATUSES as readonly string[]).includes(n.status);
    const status = open ? 'interrupted' : n.status;
    let endedAt = n.endedAt ?? (open ? n.startedAt : null);
    if (endedAt !== null && endedAt < n.startedAt) endedAt = n.startedAt;
    const causeId = n.causeId ? (this.#placed.get(n.causeId)?.id ?? (this.#renamed ? (this.#renamed.get(n.causeId) ?? null) : n.causeId)) : null;
    return [
      id, this.#sessionId, parentId, causeId, seq, depth, path, n.kind, n.role !== null && ROLES.has(n.role) ? n.role : null, status,
      n.content, wellFormedJson(n.metadata), n.model ?? null, n.provider ?? null,
      n.tokensIn ?? 0, n.tokensOut ?? 0, n.tokensReasoning ?? 0, n.costUsd ?? 0, n.startedAt, endedAt,
      n.toolName ?? null, n.toolArgs == null ? null : wellFormedJson(n.toolArgs), n.toolResult == null ? null : wellFormedJson(n.toolResult),
      n.durationMs ?? null,
    ];
  }

  /** Writes the rows gathered so far (still inside the transaction). */
  async flush(): Promise<void> {
    const stmts: InStatement[] = [];
    if (this.#nodeRows.length > 0) {
      stmts.push({ sql: INSERT_NODE_ROWS_SQL, args: [wellFormedJson(this.#nodeRows)] });
      this.#nodeRows = [];
    }
    if (this.#chunkRows.length > 0) {
      stmts.push({ sql: INSERT_CHUNK_ROWS_SQL, args: [wellFormedJson(this.#chunkRows)] });
      this.#chunkRows = [];
    }
    if (stmts.length > 0) await this.#tx.batch(stmts);
  }

  /** Completes the source record (what the file said about itself is known only at its end). */
  async setSource(source: SessionSourceRecord): Promise<void> {
    await this.#tx.execute({
      sql: 'UPDATE session_sources SET format = ?, source_id = ?, file = ?, metadata = ? WHERE session_id = ?',
      args: [source.format, source.sourceId, source.file, wellFormedJson(source.metadata), this.#sessionId],
    });
  }

  /** Writes what is left, completes the session row and commits: from here the session exists. */
  async commit(finish: SessionFinish): Promise<void> {
    await this.flush();
    await this.#tx.execute({
      sql: `UPDATE sessions SET name = ?, started_at = ?, ended_at = ?, tokens_in = ?, tokens_out = ?, tokens_reasoning = ?,
              tokens_cached = ?, cost_usd = ? WHERE id = ?`,
      args: [
        finish.name, finish.startedAt, finish.endedAt !== null && finish.startedAt !== null && finish.endedAt < finish.startedAt ? finish.startedAt : finish.endedAt,
        finish.tokensIn, finish.tokensOut, finish.tokensReasoning, finish.tokensCached, finish.costUsd, this.#sessionId,
      ],
    });
    await this.#tx.commit();
    this.#close();
  }

  /** Drops everything written so far: the database is as before begin(). */
  async rollback(): Promise<void> {
    if (this.#closed) return;
    await this.#tx.rollback().catch(() => undefined);
    this.#close();
  }

  #close(): void {
    this.#closed = true;
    this.#tx.close();
    this.#placed.clear();
    this.#renamed?.clear();
  }
}
