// Paddock's own session JSON ("paddock.session"). The streamed export writes the document's head
// on line 1 (ending in `"nodes":[`), one node per line, `],"chunks":[`, one chunk per line and
// `]}`: read back line by line here, each node and chunk checked against the contract's schema.
// Any other layout of the same document (the sessions.export result saved as it is, or pretty
// printed) is parsed whole, up to WHOLE_DOCUMENT_MAX bytes.
import fs from 'node:fs';
import type { z } from 'zod';
import type { LogChunk, LogNode } from '../../../shared/domain.js';
import { sessionExportSchema } from '../../../shared/ipc/export-format.js';
import { logChunkSchema, logNodeSchema } from '../../../shared/ipc/schemas.js';
import { PaddockError } from '../../../shared/ipc/result.js';
import { PADDOCK_CHUNKS_OPEN, PADDOCK_NODES_OPEN } from '../export/paddock.js';
import { lineError } from '../errors.js';
import type { ImportSource } from '../lines.js';
import type { SourceLine } from '../types.js';

const FORMAT = 'paddock';
export const WHOLE_DOCUMENT_MAX = 256 * 1024 * 1024;
const headSchema = sessionExportSchema.pick({ format: true, version: true, exportedAt: true, session: true, agent: true });
export type PaddockHead = z.output<typeof headSchema>;

export type PaddockItem = { node: LogNode } | { chunk: LogChunk };

export interface PaddockReader {
  head: PaddockHead;
  items: AsyncIterable<PaddockItem>;
}

function issue(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.join('.') || 'value'}: ${i.message}` : 'invalid';
}

export async function openPaddock(lines: AsyncIterable<SourceLine>, source: ImportSource): Promise<PaddockReader> {
  const it = lines[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw lineError(FORMAT, 1, 'the file is empty');
  const line1 = first.value.text.trimEnd();
  if (!line1.endsWith(PADDOCK_NODES_OPEN)) {
    await it.return?.();
    return whole(source);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(`${line1.slice(0, -PADDOCK_NODES_OPEN.length).replace(/,$/, '')}}`);
  } catch (e) {
    throw lineError(FORMAT, 1, `not valid JSON (${(e as Error).message})`);
  }
  const head = headSchema.safeParse(raw);
  if (!head.success) throw lineError(FORMAT, 1, `not a Paddock session export (${issue(head.error)})`);
  return { head: head.data, items: streamed(it, head.data.session.id) };
}

async function* streamed(it: AsyncIterator<SourceLine>, sessionId: string): AsyncGenerator<PaddockItem> {
  let part: 'nodes' | 'chunks' | 'end' = 'nodes';
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const { text, no } = r.value;
    const t = bare(text);
    if (t === '') continue;
    if (part === 'nodes' && t === PADDOCK_CHUNKS_OPEN) {
      part = 'chunks';
      continue;
    }
    if (t === ']}' || t === '],"chunks":[]}') {
      part = 'end';
      continue;
    }
    if (part === 'end') throw lineError(FORMAT, no, 'text after the end of the document');
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (e) {
      throw lineError(FORMAT, no, `not valid JSON (${(e as Error).message})`);
    }
    if (part === 'nodes') {
      const node = isLogNode(value) ? value : checked(logNodeSchema, value, no, 'a log node');
      if (node.sessionId !== sessionId) throw lineError(FORMAT, no, `node ${node.id} belongs to another session`);
      yield { node };
    } else {
      yield { chunk: isLogChunk(value) ? value : checked(logChunkSchema, value, no, 'a chunk') };
    }
  }
  if (part !== 'end') throw new PaddockError('VALIDATION', 'The file ends before the document does (truncated?)', { format: FORMAT });
}

/**
 * A line without surrounding white space and one leading and one trailing comma, cut once: a
 * node line can hold megabytes of text, and trim() plus two replace() copied it three times.
 */
function bare(text: string): string {
  let s = 0;
  let e = text.length;
  while (s < e && text.charCodeAt(s) <= 32) s++;
  while (e > s && text.charCodeAt(e - 1) <= 32) e--;
  if (s < e && text.charCodeAt(s) === 44) s++;
  if (e > s && text.charCodeAt(e - 1) === 44) e--;
  return s === 0 && e === text.length ? text : text.slice(s, e);
}

/** The schema's verdict (and its message) for a value the quick check refused. */
function checked<T>(schema: z.ZodType<T>, value: unknown, no: number, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw lineError(FORMAT, no, `not ${what} (${issue(r.error)})`);
  return r.data;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const KINDS = new Set<unknown>(['user_message', 'assistant_message', 'thought', 'action', 'observation', 'error', 'system']);
const STATUSES = new Set<unknown>(['streaming', 'complete', 'error', 'interrupted', 'pending_approval', 'approved', 'denied', 'running']);
const NODE_KEYS = 24;
// zod's uuid(): 8-4-4-4-12 hex digits with a version and variant nibble.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const id = (v: unknown) => typeof v === 'string' && UUID.test(v);
const idOrNull = (v: unknown) => v === null || id(v);
const short = (max: number) => (v: unknown) => v === null || (typeof v === 'string' && v.length <= max);
const strOrNull = short(300);
const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * A hand-written check of exactly what logNodeSchema accepts, for the common case: the schema
 * costs about nine times the JSON parse per node, which would halve the import's speed. A node
 * this refuses still goes through the schema, which accepts it or names what is wrong.
 */
function isLogNode(v: unknown): v is LogNode {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const n = v as Record<string, unknown>;
  return (
    Object.keys(n).length === NODE_KEYS && id(n.id) && id(n.sessionId) && idOrNull(n.parentId) && idOrNull(n.causeId) &&
    count(n.seq) && count(n.depth) && (n.depth as number) <= 10_000 && KINDS.has(n.kind) && short(100)(n.role) &&
    STATUSES.has(n.status) && typeof n.content === 'string' && n.content.length <= 16_000_000 && typeof n.metadata === 'object' && n.metadata !== null && !Array.isArray(n.metadata) &&
    strOrNull(n.model) && strOrNull(n.provider) && count(n.tokensIn) && count(n.tokensOut) && count(n.tokensReasoning) &&
    typeof n.costUsd === 'number' && n.costUsd >= 0 && typeof n.startedAt === 'string' && TIMESTAMP.test(n.startedAt) &&
    (n.endedAt === null || (typeof n.endedAt === 'string' && TIMESTAMP.test(n.endedAt))) && strOrNull(n.toolName) &&
    'toolArgs' in n && 'toolResult' in n && (n.durationMs === null || count(n.durationMs)) && count(n.childCount)
  );
}

function isLogChunk(v: unknown): v is LogChunk {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return Object.keys(c).length === 4 && id(c.nodeId) && count(c.seq) && typeof c.text === 'string' && c.text.length <= 16_000_000 && count(c.atMs);
}

async function whole(source: ImportSource): Promise<PaddockReader> {
  let text: string;
  if ('path' in source) {
    const size = (await fs.promises.stat(source.path)).size;
    if (size > WHOLE_DOCUMENT_MAX) {
      throw new PaddockError('VALIDATION', `This Paddock file is laid out in a way that must be read whole, and it is larger than ${WHOLE_DOCUMENT_MAX / 1024 / 1024} MB; export it again from Paddock to import it streamed`);
    }
    text = await fs.promises.readFile(source.path, 'utf8');
  } else text = source.text;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PaddockError('VALIDATION', `Not valid JSON (${(e as Error).message})`, { format: FORMAT });
  }
  const doc = sessionExportSchema.safeParse(raw);
  if (!doc.success) throw new PaddockError('VALIDATION', `Not a Paddock session export (${issue(doc.error)})`, { format: FORMAT });
  const { nodes, chunks, ...head } = doc.data;
  async function* items(): AsyncGenerator<PaddockItem> {
    for (const node of nodes) {
      if (node.sessionId !== head.session.id) throw new PaddockError('VALIDATION', `Node ${node.id} belongs to another session`);
      yield { node: node as LogNode };
    }
    for (const chunk of chunks) yield { chunk };
  }
  return { head, items: items() };
}
