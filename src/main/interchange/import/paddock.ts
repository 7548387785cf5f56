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
    const t = text.trim().replace(/^,/, '').replace(/,$/, '');
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
      const n = logNodeSchema.safeParse(value);
      if (!n.success) throw lineError(FORMAT, no, `not a log node (${issue(n.error)})`);
      if (n.data.sessionId !== sessionId) throw lineError(FORMAT, no, `node ${n.data.id} belongs to another session`);
      yield { node: n.data as LogNode };
    } else {
      const c = logChunkSchema.safeParse(value);
      if (!c.success) throw lineError(FORMAT, no, `not a chunk (${issue(c.error)})`);
      yield { chunk: c.data };
    }
  }
  if (part !== 'end') throw new PaddockError('VALIDATION', 'The file ends before the document does (truncated?)', { format: FORMAT });
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
