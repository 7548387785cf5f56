// AG-UI event streams saved as JSON Lines (one event per line, as an agent's SSE stream or a
// recorder writes them). Current event names and the deprecated THINKING_* ones are read;
// *_CHUNK convenience events are expanded. A user TEXT_MESSAGE starts a turn (root node, or under
// the spawning tool call inside a sub-agent), STEP_STARTED or an assistant message starts a model
// step, REASONING/THINKING messages are thoughts, TOOL_CALL_* an action with its arguments
// gathered from the ARGS deltas, TOOL_CALL_RESULT its observation, RUN_ERROR an error node.
// SUBAGENT_STARTED opens a nested conversation under the tool call named by parentToolCallId.
// Events a session log has no place for (STATE_*, MESSAGES_SNAPSHOT, ACTIVITY_*, RAW, other
// CUSTOM) are counted in the session's metadata. When an event carries metadata.paddock (a file
// Paddock wrote), that node's id, parent and fields are taken from it: the same tree comes back.
import type { JsonValue } from '../../../shared/domain.js';
import { lineError } from '../errors.js';
import { jsonLines } from '../lines.js';
import { nodeFromInfo, readNodeInfo, type NodeInfo } from '../node-info.js';
import { TURN_END, type ForeignNode, type ForeignSession, type ForeignTranscript, type SourceLine, type TurnEnd } from '../types.js';
import { isObj, isoTime, jsonOrText, str, type Obj } from '../values.js';
import { TurnBuffer, makeNode } from './nodes.js';

const FORMAT = 'ag-ui';

interface Ctx {
  anchor: string | null;
  turn: ForeignNode | null;
  step: ForeignNode | null;
  /** The step's assistant text message is bound (a second one starts a new step). */
  stepHasText: boolean;
  thinking: ForeignNode | null;
}

interface Open {
  node: ForeignNode;
  info: NodeInfo | null;
  args: string;
}

class State {
  buffer = new TurnBuffer();
  main: Ctx = { anchor: null, turn: null, step: null, stepHasText: false, thinking: null };
  subs = new Map<string, Ctx>();
  /** messageId / toolCallId -> node still receiving deltas. */
  open = new Map<string, Open>();
  calls = new Map<string, ForeignNode>();
  skipped: Record<string, number> = {};
  constructor(readonly session: ForeignSession) {}

  ctx(e: Obj): Ctx {
    const id = str(e.subagentRunId);
    return (id ? this.subs.get(id) : undefined) ?? this.main;
  }
}

export function readAgui(lines: AsyncIterable<SourceLine>): ForeignTranscript {
  const session: ForeignSession = { sourceId: null, title: null, metadata: {} };
  return { session, nodes: parse(lines, session) };
}

async function* parse(lines: AsyncIterable<SourceLine>, session: ForeignSession): AsyncGenerator<ForeignNode | TurnEnd> {
  const s = new State(session);
  let lastAt = new Date(0).toISOString();
  for await (const { value, no } of jsonLines(lines, (n, m) => lineError(FORMAT, n, m))) {
    if (!isObj(value) || typeof value.type !== 'string') throw lineError(FORMAT, no, 'expected an AG-UI event: a JSON object with a "type"');
    // Events without a timestamp (it is optional) take the previous event's time.
    const at = value.timestamp === undefined ? lastAt : isoTime(value.timestamp);
    if (at === null) throw lineError(FORMAT, no, '"timestamp" must be epoch milliseconds');
    lastAt = at;
    if (value.type === 'RUN_STARTED') {
      for (const n of s.buffer.drain()) yield n;
      yield TURN_END;
      s.session.sourceId ??= str(value.threadId);
      s.main = { anchor: null, turn: null, step: null, stepHasText: false, thinking: null };
      s.subs.clear();
      s.calls.clear();
      continue;
    }
    handle(s, value, at, no);
  }
  for (const n of s.buffer.drain()) yield n;
  if (Object.keys(s.skipped).length > 0) session.metadata.skippedEvents = s.skipped;
}

function info(e: Obj): NodeInfo | null {
  return isObj(e.metadata) ? readNodeInfo(e.metadata.paddock) : null;
}

/** A node from the event's paddock info when it has one, else from the foreign defaults. */
function place(s: State, e: Obj, fallback: Parameters<typeof makeNode>[0]): { node: ForeignNode; info: NodeInfo | null } {
  const i = info(e);
  const node = i ? nodeFromInfo(i) : makeNode(fallback);
  if (!i && isObj(e.metadata)) node.metadata = { ...node.metadata, agui: e.metadata as Record<string, JsonValue> };
  return { node: s.buffer.add(node), info: i };
}

function stepOf(s: State, c: Ctx, at: string): ForeignNode {
  c.step ??= s.buffer.add(makeNode({ parentId: c.turn?.id ?? c.anchor, kind: 'assistant_message', role: 'assistant', startedAt: at, metadata: {} }));
  return c.step;
}

function need(e: Obj, field: string, no: number): string {
  const v = str(e[field]);
  if (v === null) throw lineError(FORMAT, no, `${String(e.type)} needs "${field}"`);
  return v;
}

function delta(s: State, id: string, d: unknown, at: string, no: number, field: 'content' | 'args'): void {
  const o = s.open.get(id);
  if (!o) throw lineError(FORMAT, no, `a delta for ${id}, which was never started`);
  const text = typeof d === 'string' ? d : '';
  if (field === 'args') o.args += text;
  else o.node.content += text;
  const chunked = o.info ? o.info.chunked : false;
  if (chunked) (o.node.chunks ??= []).push({ text, atMs: Math.max(0, Date.parse(at) - Date.parse(o.node.startedAt)) });
}

function close(s: State, id: string, at: string): void {
  const o = s.open.get(id);
  if (!o) return;
  s.open.delete(id);
  if (!o.info) o.node.endedAt = at;
  if (o.node.kind === 'action') o.node.toolArgs = o.args === '' ? null : jsonOrText(o.args);
}

function startText(s: State, e: Obj, at: string, no: number): void {
  const id = need(e, 'messageId', no);
  const c = s.ctx(e);
  const role = str(e.role) ?? 'assistant';
  if (role === 'user') {
    const { node, info: i } = place(s, e, { parentId: c.anchor, kind: 'user_message', role: 'user', startedAt: at });
    Object.assign(c, { turn: node, step: null, stepHasText: false });
    s.open.set(id, { node, info: i, args: '' });
  } else if (role === 'assistant') {
    if (!c.step || c.stepHasText) c.step = null;
    const step = stepOf(s, c, at);
    c.stepHasText = true;
    s.open.set(id, { node: step, info: stepInfos.get(step) ?? null, args: '' });
  } else {
    const { node, info: i } = place(s, e, { parentId: c.turn?.id ?? c.anchor, kind: 'system', role, startedAt: at });
    s.open.set(id, { node, info: i, args: '' });
  }
}

/** Steps made from a STEP_STARTED with paddock info: their text message inherits it (chunking). */
const stepInfos = new WeakMap<ForeignNode, NodeInfo>();

function handle(s: State, e: Obj, at: string, no: number): void {
  const c = s.ctx(e);
  switch (e.type) {
    case 'TEXT_MESSAGE_START':
      return startText(s, e, at, no);
    case 'TEXT_MESSAGE_CHUNK': {
      const id = str(e.messageId) ?? [...s.open.keys()].pop();
      if (id === undefined) throw lineError(FORMAT, no, 'the first TEXT_MESSAGE_CHUNK needs "messageId"');
      if (!s.open.has(id)) startText(s, { ...e, messageId: id }, at, no);
      return delta(s, id, e.delta, at, no, 'content');
    }
    case 'TEXT_MESSAGE_CONTENT':
    case 'REASONING_MESSAGE_CONTENT':
      return delta(s, need(e, 'messageId', no), e.delta, at, no, 'content');
    case 'TEXT_MESSAGE_END':
    case 'REASONING_MESSAGE_END':
      return close(s, need(e, 'messageId', no), at);
    case 'STEP_STARTED':
      return startStep(s, c, e, at);
    case 'STEP_FINISHED':
      if (c.step && !stepInfos.has(c.step)) c.step.endedAt = at;
      Object.assign(c, { step: null, stepHasText: false });
      return;
    case 'REASONING_START':
    case 'REASONING_END':
    case 'THINKING_START':
    case 'THINKING_END':
      return;
    case 'REASONING_MESSAGE_START':
    case 'THINKING_TEXT_MESSAGE_START':
      return startReasoning(s, c, e, at, no);
    case 'REASONING_MESSAGE_CHUNK': {
      const id = str(e.messageId) ?? 'thinking';
      if (!s.open.has(id)) startReasoning(s, c, { ...e, type: 'REASONING_MESSAGE_START', messageId: id }, at, no);
      return delta(s, id, e.delta, at, no, 'content');
    }
    case 'THINKING_TEXT_MESSAGE_CONTENT':
      return delta(s, 'thinking', e.delta, at, no, 'content');
    case 'THINKING_TEXT_MESSAGE_END':
      return close(s, 'thinking', at);
    case 'TOOL_CALL_START':
    case 'TOOL_CALL_CHUNK':
      return toolCall(s, c, e, at, no);
    case 'TOOL_CALL_ARGS':
      return delta(s, need(e, 'toolCallId', no), e.delta, at, no, 'args');
    case 'TOOL_CALL_END':
      return close(s, need(e, 'toolCallId', no), at);
    case 'TOOL_CALL_RESULT':
      return toolResult(s, c, e, at, no);
    case 'SUBAGENT_STARTED':
      return startSubagent(s, e, no);
    case 'RUN_ERROR':
    case 'SUBAGENT_ERROR':
      s.buffer.add(makeNode({ parentId: c.turn?.id ?? c.anchor, kind: 'error', role: 'system', status: 'error', startedAt: at, content: str(e.message) ?? '', metadata: { ...(str(e.code) ? { code: str(e.code) } : {}), event: e.type } }));
      return;
    case 'RUN_FINISHED':
    case 'SUBAGENT_FINISHED':
      return;
    case 'CUSTOM':
      return custom(s, e, at);
    default:
      s.skipped[e.type as string] = (s.skipped[e.type as string] ?? 0) + 1;
  }
}

function startStep(s: State, c: Ctx, e: Obj, at: string): void {
  const { node, info: i } = place(s, e, { parentId: c.turn?.id ?? c.anchor, kind: 'assistant_message', role: 'assistant', startedAt: at, metadata: { stepName: str(e.stepName) } as Record<string, JsonValue> });
  if (i) stepInfos.set(node, i);
  Object.assign(c, { step: node, stepHasText: false });
}

function startReasoning(s: State, c: Ctx, e: Obj, at: string, no: number): void {
  const id = str(e.messageId) ?? `thinking@${no}`;
  const { node, info: i } = place(s, e, { parentId: stepOf(s, c, at).id, kind: 'thought', role: 'reasoning', startedAt: at });
  s.open.set(id, { node, info: i, args: '' });
  c.thinking = node;
  if (e.type === 'THINKING_TEXT_MESSAGE_START') s.open.set('thinking', s.open.get(id)!);
}

function startSubagent(s: State, e: Obj, no: number): void {
  const id = need(e, 'subagentRunId', no);
  const spawner = str(e.parentToolCallId);
  const parentCtx = (str(e.parentSubagentRunId) ? s.subs.get(str(e.parentSubagentRunId)!) : undefined) ?? s.main;
  s.subs.set(id, { anchor: (spawner ? s.calls.get(spawner)?.id : undefined) ?? parentCtx.turn?.id ?? null, turn: null, step: null, stepHasText: false, thinking: null });
}

/** A paddock.node event restores a node Paddock wrote; any other CUSTOM event is only counted. */
function custom(s: State, e: Obj, at: string): void {
  if (e.name === 'paddock.node' && info(e)) {
    const { node } = place(s, e, { parentId: null, kind: 'system', startedAt: at });
    const v = isObj(e.value) ? e.value : {};
    node.content = str(v.content) ?? '';
    node.toolArgs = (v.toolArgs ?? null) as JsonValue;
    return;
  }
  s.skipped.CUSTOM = (s.skipped.CUSTOM ?? 0) + 1;
}

function toolCall(s: State, c: Ctx, e: Obj, at: string, no: number): void {
  const id = e.type === 'TOOL_CALL_CHUNK' ? (str(e.toolCallId) ?? [...s.calls.keys()].pop()) : need(e, 'toolCallId', no);
  if (id === undefined) throw lineError(FORMAT, no, 'the first TOOL_CALL_CHUNK needs "toolCallId"');
  if (e.type === 'TOOL_CALL_CHUNK' && s.open.has(id)) return delta(s, id, e.delta, at, no, 'args');
  const name = str(e.toolCallName);
  if (name === null) throw lineError(FORMAT, no, `${e.type} needs "toolCallName"`);
  const parentMessage = str(e.parentMessageId);
  const parentStep = parentMessage ? s.open.get(parentMessage)?.node : undefined;
  const parent = parentStep?.kind === 'assistant_message' ? parentStep : stepOf(s, c, at);
  const { node, info: i } = place(s, e, { parentId: parent.id, kind: 'action', role: 'assistant', startedAt: at, endedAt: null, toolName: name, metadata: { toolCallId: id } });
  s.open.set(id, { node, info: i, args: '' });
  s.calls.set(id, node);
  if (e.type === 'TOOL_CALL_CHUNK') delta(s, id, e.delta, at, no, 'args');
}

function toolResult(s: State, c: Ctx, e: Obj, at: string, no: number): void {
  const callId = need(e, 'toolCallId', no);
  const action = s.calls.get(callId);
  if (s.open.has(callId)) close(s, callId, at);
  const content = typeof e.content === 'string' ? e.content : JSON.stringify(e.content ?? null);
  const { node, info: i } = place(s, e, { parentId: action?.id ?? c.turn?.id ?? null, causeId: action?.id ?? null, kind: 'observation', role: 'tool', startedAt: at, toolName: action?.toolName ?? null, metadata: { toolCallId: callId } });
  node.content = content;
  if (!i && action) {
    action.endedAt = at;
    action.metadata.ran = true;
    if (e.error !== undefined && e.error !== null) node.status = 'error';
  }
}
