// The log writer's public shapes: its options, the input of its calls (validated leniently by
// lenientParse below) and what its 'commit' and 'error' events carry. Re-exported by ../writer.ts.

import { z } from 'zod';
import type { LogNode } from '../../../shared/domain.js';
import { LogsError } from '../errors.js';
import type { WriterConnection } from '../worker-connection.js';
import type {
  TOOL_LOG_STATUSES} from '../validation.js';
import {
  FINAL_LOG_STATUSES,
  costSchema,
  countSchema,
  idSchema,
  jsonValueSchema,
  kindSchema,
  metadataSchema,
  roleSchema,
  statusSchema,
} from '../validation.js';

export const DEFAULT_FLUSH_INTERVAL_MS = 50;
export const DEFAULT_MAX_BUFFER_BYTES = 64 * 1024;
export const DEFAULT_MAX_HELD_BYTES = 16 * 1024 * 1024;

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

export const startNodeSchema = z.object({
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

export const finishNodeSchema = z.object({
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

/**
 * Parses a call's input, dropping the optional fields that fail (each drop reported through
 * `report`) rather than the call: a bad token count must not lose the node. Throws
 * LogsError('INVALID_INPUT') when a `required` field (or the input itself) is invalid.
 */
export function lenientParse<T extends z.ZodObject>(schema: T, input: unknown, what: string, required: string[], report: (e: LogsError) => void): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const bad = new Set(r.error.issues.map((i) => String(i.path[0] ?? '')));
  const fatal = required.find((k) => bad.has(k)) ?? (bad.has('') ? 'input' : undefined);
  const message = `${what}: ${r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`;
  if (fatal) throw new LogsError('INVALID_INPUT', message, { issues: r.error.issues });
  report(new LogsError('INVALID_INPUT', `${message} (field dropped)`, { issues: r.error.issues }));
  const cleaned = Object.fromEntries(Object.entries(input as Record<string, unknown>).filter(([k]) => !bad.has(k)));
  const again = schema.safeParse(cleaned);
  if (again.success) return again.data;
  throw new LogsError('INVALID_INPUT', message, { issues: again.error.issues });
}
