// OpenTelemetry traces as OTLP/JSON: one ExportTraceServiceRequest per line (the Collector's file
// exporter) or one whole document. GenAI spans (semantic conventions 1.37) become log nodes:
// invoke_agent / create_agent / invoke_workflow a user_message (its user input, else the span
// name as a system node), chat / text_completion / generate_content an assistant_message (text
// parts its content, reasoning parts thought children, tool_call parts without an execute_tool
// span action children), execute_tool an action with its result as an observation; any other
// span a system node. Attributes without a column go to metadata.otel. Spans arrive in any order
// (a span is written when it ends), so the spans of a file are gathered before the tree is built,
// on disk (otlp-spill.ts): memory keeps a few numbers per span, not the spans.
import fs from 'node:fs';
import type { JsonValue } from '../../../shared/domain.js';
import { PaddockError } from '../../../shared/ipc/result.js';
import { lineError } from '../errors.js';
import type { ImportSource } from '../lines.js';
import { nodeFromInfo, readNodeInfo } from '../node-info.js';
import type { ForeignNode, ForeignSession, ForeignTranscript, SourceLine } from '../types.js';
import { count, isObj, isoTime, jsonOrText, str, type Obj } from '../values.js';
import { makeNode } from './nodes.js';
import { SpanSpill } from './otlp-spill.js';
import { WHOLE_DOCUMENT_MAX } from './paddock.js';

const FORMAT = 'otlp';
const AGENT_OPS = new Set(['invoke_agent', 'create_agent', 'invoke_workflow']);
const CHAT_OPS = new Set(['chat', 'text_completion', 'generate_content']);
const MAPPED = new Set([
  'gen_ai.operation.name', 'gen_ai.conversation.id', 'gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.provider.name', 'gen_ai.system',
  'gen_ai.request.model', 'gen_ai.response.model', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.tool.name', 'gen_ai.tool.call.id', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result', 'paddock.node', 'paddock.thoughts',
  'paddock.results', 'paddock.content', 'paddock.tool_args',
]);

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  start: string;
  end: string;
  attrs: Record<string, JsonValue>;
  error: boolean;
  order: number;
}

export function readOtlp(lines: AsyncIterable<SourceLine>, source: ImportSource): ForeignTranscript {
  const session: ForeignSession = { sourceId: null, title: null, metadata: {} };
  return { session, nodes: parse(lines, source, session) };
}

async function* parse(lines: AsyncIterable<SourceLine>, source: ImportSource, session: ForeignSession): AsyncGenerator<ForeignNode> {
  const spill = new SpanSpill<Span>();
  try {
    // Call ids of execute_tool spans: a chat span's tool_call part that has one is not a node of its own.
    const toolCallIds = new Set<string>();
    let firstTrace: string | null = null;
    await collect(lines, source, (span) => {
      const callId = span.attrs['gen_ai.tool.call.id'];
      if (typeof callId === 'string') toolCallIds.add(callId);
      const conversation = span.attrs['gen_ai.conversation.id'];
      if (session.sourceId === null && typeof conversation === 'string') session.sourceId = conversation;
      firstTrace ??= span.traceId;
      spill.add({ spanId: span.spanId, parentSpanId: span.parentSpanId, startMs: Date.parse(span.start), seq: seqOf(span) }, span);
    });
    session.sourceId ??= firstTrace;
    const { roots, children } = spill.index();
    // Pre-order walk, iterative. A span Paddock wrote folds some children (thoughts, results) into
    // attributes; they come back as "extras" and are put among the child spans by their seq.
    const stack: Entry[] = roots.map((i) => ({ span: i, parentId: null })).reverse();
    while (stack.length > 0) {
      const e = stack.pop()!;
      if (e.span === undefined) {
        yield* e.nodes!;
        continue;
      }
      const made = toNodes(spill.read(e.span), e.parentId, toolCallIds);
      yield* made.nodes;
      const next: (Entry & { key: number })[] = children(e.span).map((i) => ({ span: i, parentId: made.childParent, key: made.extras ? spill.seqKey(i) : 0 }));
      if (made.extras && made.extras.length > 0) {
        next.push(...made.extras.map((x) => ({ nodes: x.nodes, parentId: made.childParent, key: x.seq })));
        next.sort((x, y) => x.key - y.key);
      }
      for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
    }
  } finally {
    spill.close();
  }
}

interface Entry {
  /** The span's index in the spill, or undefined for folded children (nodes). */
  span?: number;
  nodes?: ForeignNode[];
  parentId: string | null;
}

function seqOf(s: Span): number | null {
  return readNodeInfo(jsonAttr(s.attrs['paddock.node']))?.seq ?? null;
}

async function collect(lines: AsyncIterable<SourceLine>, source: ImportSource, add: (s: Span) => void): Promise<void> {
  let order = 0;
  for await (const { text, no } of lines) {
    if (text.trim() === '') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      // A pretty-printed document: read it whole (its first line alone is not JSON).
      if (no === 1 || order === 0) return collectWhole(source, add);
      throw lineError(FORMAT, no, `not valid JSON (${(e as Error).message})`);
    }
    order = addRequest(doc, add, no, order);
  }
}

async function collectWhole(source: ImportSource, add: (s: Span) => void): Promise<void> {
  let text: string;
  if ('path' in source) {
    if ((await fs.promises.stat(source.path)).size > WHOLE_DOCUMENT_MAX) throw new PaddockError('VALIDATION', 'This OTLP file is one JSON document larger than 256 MB; write it as JSON lines (one request per line) to import it');
    text = await fs.promises.readFile(source.path, 'utf8');
  } else text = source.text;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PaddockError('VALIDATION', `Not valid JSON (${(e as Error).message})`, { format: FORMAT });
  }
  addRequest(doc, add, 1, 0);
}

/** Adds the spans of one OTLP request; returns the next span's file order. */
function addRequest(doc: unknown, add: (s: Span) => void, no: number, order: number): number {
  if (!isObj(doc) || !Array.isArray(doc.resourceSpans)) throw lineError(FORMAT, no, 'expected an OTLP request: {"resourceSpans": [...]}');
  for (const rs of doc.resourceSpans) {
    if (!isObj(rs) || !Array.isArray(rs.scopeSpans)) throw lineError(FORMAT, no, 'a resourceSpans entry needs "scopeSpans"');
    for (const ss of rs.scopeSpans) {
      if (!isObj(ss) || !Array.isArray(ss.spans)) throw lineError(FORMAT, no, 'a scopeSpans entry needs "spans"');
      for (const raw of ss.spans) add(readSpan(raw, no, order++));
    }
  }
  return order;
}

function readSpan(raw: unknown, no: number, order: number): Span {
  if (!isObj(raw)) throw lineError(FORMAT, no, 'a span must be an object');
  const spanId = str(raw.spanId);
  const start = isoTime(raw.startTimeUnixNano);
  if (!spanId || start === null) throw lineError(FORMAT, no, 'a span needs "spanId" and "startTimeUnixNano"');
  const attrs: Record<string, JsonValue> = {};
  if (Array.isArray(raw.attributes)) for (const a of raw.attributes) if (isObj(a) && typeof a.key === 'string') attrs[a.key] = anyValue(a.value);
  return {
    traceId: str(raw.traceId) ?? '', spanId, parentSpanId: str(raw.parentSpanId) || null, name: str(raw.name) ?? '', start,
    end: isoTime(raw.endTimeUnixNano) ?? start, attrs, error: isObj(raw.status) && (raw.status.code === 2 || raw.status.code === 'STATUS_CODE_ERROR'), order,
  };
}

/** An OTLP AnyValue as plain JSON. */
function anyValue(v: unknown): JsonValue {
  if (!isObj(v)) return null;
  if ('stringValue' in v) return str(v.stringValue) ?? '';
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('boolValue' in v) return v.boolValue === true;
  if (isObj(v.arrayValue) && Array.isArray(v.arrayValue.values)) return v.arrayValue.values.map(anyValue);
  if (isObj(v.kvlistValue) && Array.isArray(v.kvlistValue.values)) {
    return Object.fromEntries(v.kvlistValue.values.filter(isObj).map((kv) => [String(kv.key), anyValue(kv.value)]));
  }
  return null;
}

function jsonAttr(v: JsonValue | undefined): unknown {
  return typeof v === 'string' ? jsonOrText(v) : v;
}

/** Text of the messages' parts of one type (gen_ai.*.messages), joined. */
function partsOf(messages: unknown, type: string, role?: string): Obj[] {
  if (!Array.isArray(messages)) return [];
  return messages.filter(isObj).filter((m) => !role || m.role === role).flatMap((m) => (Array.isArray(m.parts) ? m.parts.filter(isObj) : [])).filter((p) => p.type === type);
}

function otelMeta(span: Span): Record<string, JsonValue> {
  const attributes = Object.fromEntries(Object.entries(span.attrs).filter(([k]) => !MAPPED.has(k)));
  return { otel: { name: span.name, traceId: span.traceId, spanId: span.spanId, attributes } };
}

/** The nodes one span becomes, the node its child spans go under, and folded children to place by seq. */
interface Made {
  nodes: ForeignNode[];
  childParent: string | null;
  extras?: { seq: number; nodes: ForeignNode[] }[];
}

function toNodes(span: Span, parentId: string | null, toolCallIds: Set<string>): Made {
  const info = readNodeInfo(jsonAttr(span.attrs['paddock.node']));
  if (info) return paddockNodes(span, info);
  const op = str(span.attrs['gen_ai.operation.name']) ?? '';
  const a = span.attrs;
  const base = { parentId, startedAt: span.start, endedAt: span.end, status: span.error ? ('error' as const) : ('complete' as const), metadata: otelMeta(span) };
  if (AGENT_OPS.has(op)) {
    const text = partsOf(jsonAttr(a['gen_ai.input.messages']), 'text', 'user').map((p) => str(p.content) ?? '').join('\n');
    const n = makeNode({ ...base, kind: text ? 'user_message' : 'system', role: text ? 'user' : 'system', content: text || span.name });
    return { nodes: [n], childParent: n.id };
  }
  if (CHAT_OPS.has(op)) {
    const out = jsonAttr(a['gen_ai.output.messages']);
    // A lone chat span (no agent span above it) brings its own prompt: make that the turn.
    const prompt = parentId === null ? partsOf(jsonAttr(a['gen_ai.input.messages']), 'text', 'user').map((p) => str(p.content) ?? '').join('\n') : '';
    const turn = prompt ? makeNode({ parentId: null, kind: 'user_message', role: 'user', startedAt: span.start, content: prompt }) : null;
    const step = makeNode({
      ...base, ...(turn ? { parentId: turn.id } : {}), kind: 'assistant_message', role: 'assistant', content: partsOf(out, 'text').map((p) => str(p.content) ?? '').join(''),
      model: str(a['gen_ai.response.model']) ?? str(a['gen_ai.request.model']), provider: str(a['gen_ai.provider.name']) ?? str(a['gen_ai.system']),
      tokensIn: count(a['gen_ai.usage.input_tokens']), tokensOut: count(a['gen_ai.usage.output_tokens']), tokensReasoning: count(a['gen_ai.usage.reasoning.output_tokens']),
    });
    const nodes = turn ? [turn, step] : [step];
    for (const r of partsOf(out, 'reasoning')) nodes.push(makeNode({ parentId: step.id, kind: 'thought', role: 'reasoning', startedAt: span.start, endedAt: span.end, content: str(r.content) ?? '' }));
    for (const t of partsOf(out, 'tool_call')) {
      if (typeof t.id === 'string' && toolCallIds.has(t.id)) continue;
      nodes.push(makeNode({ parentId: step.id, kind: 'action', role: 'assistant', startedAt: span.end, endedAt: null, toolName: str(t.name), toolArgs: jsonOrText(t.arguments ?? null), metadata: typeof t.id === 'string' ? { toolCallId: t.id } : {} }));
    }
    return { nodes, childParent: step.id };
  }
  if (op === 'execute_tool') {
    const callId = str(a['gen_ai.tool.call.id']);
    const action = makeNode({ ...base, kind: 'action', role: 'assistant', toolName: str(a['gen_ai.tool.name']) ?? span.name.replace(/^execute_tool\s*/, ''), toolArgs: a['gen_ai.tool.call.arguments'] === undefined ? null : jsonOrText(a['gen_ai.tool.call.arguments']), durationMs: Math.max(0, Date.parse(span.end) - Date.parse(span.start)), metadata: { ...base.metadata, ...(callId ? { toolCallId: callId } : {}), ran: true } });
    const nodes = [action];
    if (a['gen_ai.tool.call.result'] !== undefined) {
      const r = a['gen_ai.tool.call.result'];
      nodes.push(makeNode({ parentId: action.id, causeId: action.id, kind: 'observation', role: 'tool', status: base.status, startedAt: span.end, content: typeof r === 'string' ? r : JSON.stringify(r), toolName: action.toolName ?? null, metadata: callId ? { toolCallId: callId } : {} }));
    }
    return { nodes, childParent: action.id };
  }
  const n = makeNode({ ...base, kind: span.error ? 'error' : 'system', role: 'system', content: span.name });
  return { nodes: [n], childParent: n.id };
}

/** A span Paddock wrote: the node as it was, with its folded thoughts and results as extras. */
function paddockNodes(span: Span, info: NonNullable<ReturnType<typeof readNodeInfo>>): Made {
  const a = span.attrs;
  const node = nodeFromInfo(info);
  const extras: { seq: number; nodes: ForeignNode[] }[] = [];
  if (info.kind === 'user_message') {
    node.content = partsOf(jsonAttr(a['gen_ai.input.messages']), 'text', 'user').map((p) => str(p.content) ?? '').join('\n');
  } else if (info.kind === 'assistant_message') {
    const out = jsonAttr(a['gen_ai.output.messages']);
    node.content = partsOf(out, 'text').map((p) => str(p.content) ?? '').join('');
    const reasoning = partsOf(out, 'reasoning');
    const thoughts = jsonAttr(a['paddock.thoughts']);
    (Array.isArray(thoughts) ? thoughts : []).forEach((t, i) => {
      const ti = readNodeInfo(t);
      if (ti) extras.push({ seq: ti.seq, nodes: [{ ...nodeFromInfo(ti), content: str(reasoning[i]?.content) ?? '' }] });
    });
  } else if (info.kind === 'action') {
    node.toolArgs = a['gen_ai.tool.call.arguments'] === undefined ? null : (jsonOrText(a['gen_ai.tool.call.arguments']) as JsonValue);
    const results = jsonAttr(a['paddock.results']);
    for (const r of Array.isArray(results) ? results.filter(isObj) : []) {
      const ri = readNodeInfo(r.info);
      if (ri) extras.push({ seq: ri.seq, nodes: [{ ...nodeFromInfo(ri), content: str(r.content) ?? '' }] });
    }
  } else {
    node.content = str(a['paddock.content']) ?? '';
    node.toolArgs = a['paddock.tool_args'] === undefined ? null : (jsonOrText(a['paddock.tool_args']) as JsonValue);
  }
  return { nodes: [node], childParent: node.id, extras };
}
