// Where new nodes go: every node's seq, depth and path, assigned at flush time (ids are assigned
// at once, places cannot be: a parent may be written by another writer). Known places come from
// a cache of what this writer has sent; unknown parents, causes and sessions are read in at most
// two queries. Nothing is written here, and new places only reach the cache once their batch is
// sent (keep); a failed batch makes the cache forget everything (forget), the database being the
// truth.

import type { JsonValue, LogNode } from '../../../shared/domain.js';
import { wellFormedJson } from '../../db/well-formed-json.js';
import { LogsError } from '../errors.js';
import { childPath } from '../rows.js';
import type { WriterConnection } from '../worker-connection.js';
import type { Buffer, NewNodeOp } from './buffer.js';
import type { Place, Placed } from './placed.js';
import { READ_PLACES_SQL, READ_ROOT_NEXT_SQL } from './statements.js';

export type { Place, Placed } from './placed.js';

const MAX_DEPTH = 255;

/** What a placement had to read from the database. */
interface PlacementReads {
  dbPlaces: Map<string, Place>;
  rootNext: Map<string, number>;
  missingSessions: Set<string>;
}

export class Placement {
  /** Places of nodes this writer has committed (an LRU-ish cache; misses read the database). */
  private readonly places = new Map<string, Place>();
  /** Next root seq per session this writer has committed to. */
  private readonly rootNext = new Map<string, number>();
  /** Bumped whenever places leave the caches, so a placement reading meanwhile starts over. */
  private generation = 0;

  constructor(private readonly cacheSize: number) {}

  /**
   * Gives every new node of a buffer its place. The reads yield to the event loop, and a batch
   * in flight may fail meanwhile: its failure clears the caches this placement started from
   * (forget). Deciding with a cache cleared under our feet once made a live session look deleted
   * and dropped its nodes, so a placement whose caches changed while it read starts over from
   * what is known now.
   */
  async place(b: Buffer, connection: () => Promise<WriterConnection>): Promise<Placed> {
    let read: PlacementReads;
    for (;;) {
      const generation = this.generation;
      read = await this.readUnknownPlaces(b, connection);
      if (generation === this.generation) break;
    }
    const placed: Placed = {
      rows: [],
      inserted: [],
      places: new Map(),
      rootNext: read.rootNext,
      dropped: new Set(),
      missingSessions: read.missingSessions,
      problems: [],
    };
    for (const n of b.nodes) this.placeNode(n, read.dbPlaces, placed);
    return placed;
  }

  /** The places of a sent batch become known to the batches after it. */
  keep(placed: Placed): void {
    for (const [id, p] of placed.places) this.places.set(id, p);
    for (const [sid, next] of placed.rootNext) this.rootNext.set(sid, next);
  }

  /** A batch failed: what it and the batches after it assumed is unknown again. */
  forget(): void {
    this.places.clear();
    this.rootNext.clear();
    this.generation++;
  }

  /** Over the cache size, forgets the oldest places of nodes no longer open. */
  evict(isOpen: (id: string) => boolean): void {
    if (this.places.size <= this.cacheSize) return;
    const target = Math.floor(this.cacheSize / 2);
    let evicted = false;
    for (const id of this.places.keys()) {
      if (this.places.size <= target) break;
      if (!isOpen(id) && this.places.delete(id)) evicted = true;
    }
    // A placement reading meanwhile may have counted on an evicted place (see place()).
    if (evicted) this.generation++;
  }

  /**
   * Reads from the database what the caches do not know about a buffer's nodes: the places of
   * unknown parents and causes, and the next root seq of unknown sessions. A session asked for
   * and not found is in `missingSessions` — the one answer that lets the writer drop its nodes.
   */
  private async readUnknownPlaces(b: Buffer, connection: () => Promise<WriterConnection>): Promise<PlacementReads> {
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
      const rs = await (await connection()).execute({ sql: READ_PLACES_SQL, args: [JSON.stringify([...unknownNodes])] });
      for (const r of rs.rows) {
        dbPlaces.set(String(r.id), { sessionId: String(r.session_id), path: String(r.path), depth: Number(r.depth), nextChild: Number(r.next) });
      }
    }
    const rootNext = new Map<string, number>();
    const missingSessions = new Set<string>();
    if (unknownSessions.size > 0) {
      const rs = await (await connection()).execute({ sql: READ_ROOT_NEXT_SQL, args: [JSON.stringify([...unknownSessions])] });
      // Remembered even if this batch places no root there: the session is known to exist.
      for (const r of rs.rows) rootNext.set(String(r.id), Number(r.next));
      for (const sid of unknownSessions) if (!rootNext.has(sid)) missingSessions.add(sid);
    }
    return { dbPlaces, rootNext, missingSessions };
  }

  /** Places one node (in buffer order: parents before children) and adds its row to `placed`. */
  private placeNode(n: NewNodeOp, dbPlaces: ReadonlyMap<string, Place>, placed: Placed): void {
    const { places, rootNext, dropped, problems } = placed;
    const knownPlace = (id: string): Place | undefined => places.get(id) ?? this.places.get(id) ?? dbPlaces.get(id);
    const rootSeq = rootNext.get(n.sessionId) ?? this.rootNext.get(n.sessionId);
    if (rootSeq === undefined) {
      // Only the database's own answer ("no such session") may drop a node; anything else is a
      // bug that must fail the flush (and be retried), never lose data.
      if (!placed.missingSessions.has(n.sessionId)) {
        throw new LogsError('FLUSH_FAILED', `Log writer: no place known for session ${n.sessionId} (not looked up); will retry`);
      }
      dropped.add(n.id);
      problems.push(`session ${n.sessionId} does not exist: node ${n.id} dropped`);
      return;
    }
    const metadata = { ...n.metadata };
    let parent: Place | undefined;
    if (n.parentId !== null) {
      const p = knownPlace(n.parentId);
      if (!p || p.sessionId !== n.sessionId || p.depth >= MAX_DEPTH || dropped.has(n.parentId)) {
        // Keep the data: the node becomes a root and remembers the parent it asked for.
        metadata.orphanedParentId = n.parentId;
        problems.push(`node ${n.id}: parent ${n.parentId} is unknown, in another session or too deep; stored as a root`);
      } else {
        // Copy so the cache is only touched after the commit.
        if (!places.has(n.parentId)) places.set(n.parentId, { ...p });
        parent = places.get(n.parentId)!;
      }
    }
    let causeId = n.causeId;
    if (causeId !== null) {
      const c = knownPlace(causeId);
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
    placed.rows.push([
      n.id, n.sessionId, parentId, causeId, seq, place.depth, place.path, n.kind, n.role,
      n.status, n.content, wellFormedJson(metadata), n.model, n.provider, n.startedAt, n.endedAt, n.toolName, n.toolArgs,
    ]);
    placed.inserted.push(insertedNode(n, { parentId, causeId, seq, depth: place.depth, metadata }));
  }
}

/** The node as the 'commit' event reports it on insertion. */
function insertedNode(
  n: NewNodeOp,
  at: { parentId: string | null; causeId: string | null; seq: number; depth: number; metadata: Record<string, JsonValue> },
): LogNode {
  return {
    id: n.id,
    sessionId: n.sessionId,
    parentId: at.parentId,
    causeId: at.causeId,
    seq: at.seq,
    depth: at.depth,
    kind: n.kind,
    role: n.role,
    status: n.status,
    content: n.content,
    metadata: at.metadata,
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
  };
}
