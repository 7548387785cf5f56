// Helpers shared by the import modules: node defaults, and a turn buffer. A turn's nodes stay
// mutable until the turn ends (a tool result arrives after its call, usage after the text), then
// leave in creation order, which is always parent first. Memory is bounded by the largest turn,
// never by the file.
import type { JsonValue, LogKind, LogStatus } from '../../../shared/domain.js';
import type { ForeignNode } from '../types.js';

let counter = 0;

/** A local id for a node the file gives none (unique within the process). */
export function localId(prefix: string): string {
  return `${prefix}#${++counter}`;
}

export function makeNode(
  fields: Partial<ForeignNode> & { kind: LogKind; startedAt: string; parentId: string | null },
): ForeignNode {
  return {
    id: fields.id ?? localId(fields.kind),
    role: null,
    status: 'complete' as LogStatus,
    content: '',
    metadata: {} as Record<string, JsonValue>,
    endedAt: fields.startedAt,
    ...fields,
  };
}

export class TurnBuffer {
  #nodes: ForeignNode[] = [];

  add(n: ForeignNode): ForeignNode {
    this.#nodes.push(n);
    return n;
  }

  get size(): number {
    return this.#nodes.length;
  }

  /** The buffered nodes, oldest first; the buffer is empty afterwards. */
  drain(): ForeignNode[] {
    const out = this.#nodes;
    this.#nodes = [];
    return out;
  }
}

/** Milliseconds between two canonical timestamps, never negative. */
export function msBetween(from: string, to: string): number {
  return Math.max(0, Date.parse(to) - Date.parse(from));
}
