// The fields of a Paddock node that AG-UI events and OpenTelemetry spans have no place for,
// carried beside them (AG-UI event metadata "paddock", span attribute "paddock.node"), so a
// file Paddock wrote comes back as the same tree. Files from other tools simply lack them.
import type { JsonValue, LogKind, LogNode, LogStatus } from '../../shared/domain.js';
import type { ForeignNode } from './types.js';
import { isObj, isoTime, type Obj } from './values.js';

/** The stored node minus what the format carries itself (session, text, arguments) and what the tree recomputes (depth, child count). */
export type NodeInfo = Pick<
  LogNode,
  | 'id' | 'parentId' | 'causeId' | 'seq' | 'kind' | 'role' | 'status' | 'metadata' | 'model' | 'provider' | 'tokensIn' | 'tokensOut'
  | 'tokensReasoning' | 'costUsd' | 'startedAt' | 'endedAt' | 'toolName' | 'toolResult' | 'durationMs'
> & {
  /** True when the node's text was stored as streamed chunks (one event or part per chunk). */
  chunked: boolean;
};

export function nodeInfo(n: LogNode, chunked: boolean): NodeInfo {
  return {
    id: n.id, parentId: n.parentId, causeId: n.causeId, seq: n.seq, kind: n.kind, role: n.role, status: n.status, metadata: n.metadata,
    model: n.model, provider: n.provider, tokensIn: n.tokensIn, tokensOut: n.tokensOut, tokensReasoning: n.tokensReasoning,
    costUsd: n.costUsd, startedAt: n.startedAt, endedAt: n.endedAt, toolName: n.toolName, toolResult: n.toolResult,
    durationMs: n.durationMs, chunked,
  };
}

const KINDS = new Set(['user_message', 'assistant_message', 'thought', 'action', 'observation', 'error', 'system']);
const STATUSES = new Set(['streaming', 'complete', 'error', 'interrupted', 'pending_approval', 'approved', 'denied', 'running']);

/** A NodeInfo read back from a file, or null when the value is not one (a foreign file). */
export function readNodeInfo(v: unknown): NodeInfo | null {
  if (!isObj(v)) return null;
  const o = v as Obj;
  const startedAt = isoTime(o.startedAt);
  if (typeof o.id !== 'string' || !KINDS.has(o.kind as string) || !STATUSES.has(o.status as string) || startedAt === null) return null;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);
  const s = (x: unknown) => (typeof x === 'string' ? x : null);
  return {
    id: o.id, parentId: s(o.parentId), causeId: s(o.causeId), seq: num(o.seq), kind: o.kind as LogKind, role: s(o.role), status: o.status as LogStatus,
    metadata: isObj(o.metadata) ? (o.metadata as Record<string, JsonValue>) : {}, model: s(o.model), provider: s(o.provider),
    tokensIn: num(o.tokensIn), tokensOut: num(o.tokensOut), tokensReasoning: num(o.tokensReasoning), costUsd: num(o.costUsd),
    startedAt, endedAt: isoTime(o.endedAt), toolName: s(o.toolName), toolResult: (o.toolResult ?? null) as JsonValue | null,
    durationMs: typeof o.durationMs === 'number' && o.durationMs >= 0 ? Math.floor(o.durationMs) : null, chunked: o.chunked === true,
  };
}

/** A node built from a NodeInfo (content, arguments and chunks are added by the caller). */
export function nodeFromInfo(i: NodeInfo): ForeignNode {
  const { chunked: _c, seq: _s, ...rest } = i;
  return { ...rest, content: '' };
}
