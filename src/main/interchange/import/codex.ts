// Codex CLI rollout files (~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl): one
// `{timestamp, type, payload}` per line. `session_meta` opens the file (id, cwd, cli_version,
// git, instructions), `turn_context` names the model of the turns that follow, `response_item`
// holds the Responses API items (message, reasoning, function_call, function_call_output,
// custom_tool_call(_output), local_shell_call, web_search_call), `event_msg` the UI events
// (most repeat a response_item; token_count carries usage), `compacted` a compaction summary.
//
// Mapping: a user message (not Codex's injected <environment_context>/<user_instructions>) is a
// root user_message; each model response (the items after a user message or a tool output) is
// an assistant_message step: assistant text its content, reasoning thought children, calls
// action children with their output as an observation below. token_count usage goes to the step.
import type { JsonValue } from '../../../shared/domain.js';
import { lineError } from '../errors.js';
import { jsonLines } from '../lines.js';
import { TURN_END, type ForeignNode, type ForeignSession, type ForeignTranscript, type SourceLine, type TurnEnd } from '../types.js';
import { count, isObj, isoTime, json, jsonOrText, rest, str, type Obj } from '../values.js';
import { TurnBuffer, makeNode, msBetween } from './nodes.js';

const FORMAT = 'codex';
const CALL_TYPES = new Set(['function_call', 'custom_tool_call', 'local_shell_call', 'web_search_call']);
const OUTPUT_TYPES = new Set(['function_call_output', 'custom_tool_call_output']);
const INJECTED = /^\s*<(environment_context|user_instructions|user_shell_command|turn_aborted)>/;

interface State {
  buffer: TurnBuffer;
  turn: ForeignNode | null;
  step: ForeignNode | null;
  model: string | null;
  calls: Map<string, ForeignNode>;
  /** The newest step, still set after a tool output closed it (usage may come later). */
  lastStep: ForeignNode | null;
}

export function readCodex(lines: AsyncIterable<SourceLine>): ForeignTranscript {
  const session: ForeignSession = { sourceId: null, title: null, metadata: {} };
  return { session, nodes: parse(lines, session) };
}

async function* parse(lines: AsyncIterable<SourceLine>, session: ForeignSession): AsyncGenerator<ForeignNode | TurnEnd> {
  const s: State = { buffer: new TurnBuffer(), turn: null, step: null, model: null, calls: new Map(), lastStep: null };
  const skipped: Record<string, number> = {};
  for await (const { value, no } of jsonLines(lines, (n, m) => lineError(FORMAT, n, m))) {
    if (!isObj(value) || typeof value.type !== 'string' || !isObj(value.payload)) {
      throw lineError(FORMAT, no, 'expected {"timestamp", "type", "payload": {…}}');
    }
    const at = isoTime(value.timestamp);
    if (at === null) throw lineError(FORMAT, no, 'a rollout line needs an ISO "timestamp"');
    const p = value.payload;
    switch (value.type) {
      case 'session_meta':
        session.sourceId ??= str(p.id);
        Object.assign(session.metadata, rest(p, ['id', 'instructions']));
        if (typeof p.instructions === 'string') session.metadata.instructions = p.instructions;
        break;
      case 'turn_context':
        s.model = str(p.model) ?? s.model;
        break;
      case 'response_item': {
        const isNewTurn = p.type === 'message' && p.role === 'user' && !INJECTED.test(messageText(p));
        if (isNewTurn) {
          for (const n of s.buffer.drain()) yield n;
          yield TURN_END;
          s.calls.clear();
          s.lastStep = null;
        }
        responseItem(s, p, at, no);
        break;
      }
      case 'event_msg':
        eventMsg(s, p, at);
        break;
      case 'compacted':
        s.buffer.add(makeNode({ parentId: s.turn?.id ?? null, kind: 'system', role: 'system', startedAt: at, content: str(p.message) ?? '', metadata: { compacted: true, ...rest(p, ['message']) } }));
        break;
      default:
        skipped[value.type] = (skipped[value.type] ?? 0) + 1;
    }
  }
  for (const n of s.buffer.drain()) yield n;
  if (Object.keys(skipped).length > 0) session.metadata.skippedLines = skipped;
}

function messageText(p: Obj): string {
  if (typeof p.content === 'string') return p.content;
  if (!Array.isArray(p.content)) return '';
  return p.content
    .filter((c): c is Obj => isObj(c) && typeof c.text === 'string')
    .map((c) => c.text as string)
    .join('\n');
}

/** The current step, or a new one under the turn (a model response starts with its first item). */
function stepOf(s: State, at: string): ForeignNode {
  if (!s.step) {
    s.step = s.buffer.add(makeNode({ parentId: s.turn?.id ?? null, kind: 'assistant_message', role: 'assistant', startedAt: at, model: s.model, provider: 'openai', metadata: {} }));
    s.lastStep = s.step;
  }
  s.step.endedAt = at;
  return s.step;
}

function responseItem(s: State, p: Obj, at: string, no: number): void {
  const extra = rest(p, ['type', 'role', 'content', 'summary', 'name', 'arguments', 'input', 'call_id', 'output', 'id', 'encrypted_content']);
  switch (p.type) {
    case 'message': {
      const text = messageText(p);
      if (p.role === 'assistant') {
        stepOf(s, at).content += text;
      } else if (p.role === 'user' && !INJECTED.test(text)) {
        s.turn = s.buffer.add(makeNode({ parentId: null, kind: 'user_message', role: 'user', startedAt: at, content: text, metadata: extra }));
        s.step = null;
      } else {
        s.buffer.add(makeNode({ parentId: s.turn?.id ?? null, kind: 'system', role: p.role === 'developer' ? 'developer' : p.role === 'user' ? 'user' : 'system', startedAt: at, content: text, metadata: extra }));
      }
      return;
    }
    case 'reasoning': {
      const summary = Array.isArray(p.summary) ? p.summary.filter(isObj).map((x) => str(x.text) ?? '').join('\n\n') : '';
      const full = Array.isArray(p.content) ? p.content.filter(isObj).map((x) => str(x.text) ?? '').join('') : '';
      s.buffer.add(makeNode({
        parentId: stepOf(s, at).id, kind: 'thought', role: 'reasoning', startedAt: at, content: full || summary,
        metadata: { ...extra, ...(full && summary ? { summary } : {}), ...(typeof p.encrypted_content === 'string' ? { encrypted: true } : {}), ...(typeof p.id === 'string' ? { itemId: p.id } : {}) },
      }));
      return;
    }
    default:
      if (typeof p.type === 'string' && CALL_TYPES.has(p.type)) return addCall(s, p, at, extra);
      if (typeof p.type === 'string' && OUTPUT_TYPES.has(p.type)) return addOutput(s, p, at, extra, no);
      s.buffer.add(makeNode({ parentId: s.turn?.id ?? null, kind: 'system', role: null, startedAt: at, metadata: { item: json(p) } }));
  }
}

function addCall(s: State, p: Obj, at: string, extra: Record<string, JsonValue>): void {
  const callId = str(p.call_id) ?? str(p.id);
  const name = str(p.name) ?? (p.type === 'local_shell_call' ? 'shell' : p.type === 'web_search_call' ? 'web_search' : null);
  const args = p.arguments !== undefined ? jsonOrText(p.arguments) : p.input !== undefined ? json(p.input) : json(p.action ?? null);
  const done = p.type === 'web_search_call';
  const action = s.buffer.add(makeNode({
    parentId: stepOf(s, at).id, kind: 'action', role: 'assistant', startedAt: at, endedAt: done ? at : null, toolName: name, toolArgs: args,
    metadata: { ...extra, itemType: p.type as string, ...(callId ? { toolCallId: callId } : {}) },
  }));
  if (callId) s.calls.set(callId, action);
}

function addOutput(s: State, p: Obj, at: string, extra: Record<string, JsonValue>, no: number): void {
  const callId = str(p.call_id);
  const action = callId ? s.calls.get(callId) : undefined;
  // function_call_output.output is a string (older files: an object {content, success}).
  const out = p.output;
  const content = typeof out === 'string' ? out : isObj(out) ? (str(out.content) ?? JSON.stringify(out)) : JSON.stringify(out ?? null);
  const isError = isObj(out) && out.success === false;
  if (action) {
    action.endedAt = at;
    action.durationMs = msBetween(action.startedAt, at);
    action.status = isError ? 'error' : 'complete';
    action.metadata.ran = true;
  } else if (callId === null) {
    throw lineError(FORMAT, no, `a ${String(p.type)} needs a "call_id"`);
  }
  s.buffer.add(makeNode({
    parentId: action?.id ?? s.turn?.id ?? null, causeId: action?.id ?? null, kind: 'observation', role: 'tool', status: isError ? 'error' : 'complete',
    startedAt: at, content, toolName: action?.toolName ?? null, metadata: { ...extra, isError, ...(callId ? { toolCallId: callId } : {}), ...(isObj(out) ? { output: json(out) } : {}) },
  }));
  // The model answers the output in a new response: a new step.
  s.step = null;
}

function eventMsg(s: State, p: Obj, at: string): void {
  if (p.type === 'token_count' && isObj(p.info) && isObj(p.info.last_token_usage)) {
    const u = p.info.last_token_usage;
    // A response's usage arrives after its items; it belongs to the newest step.
    const step = s.step ?? s.lastStep;
    if (!step) return;
    step.tokensIn = (step.tokensIn ?? 0) + count(u.input_tokens);
    step.tokensOut = (step.tokensOut ?? 0) + count(u.output_tokens);
    step.tokensReasoning = (step.tokensReasoning ?? 0) + count(u.reasoning_output_tokens);
    step.metadata.tokensCached = (typeof step.metadata.tokensCached === 'number' ? step.metadata.tokensCached : 0) + count(u.cached_input_tokens);
  } else if (p.type === 'error' || p.type === 'stream_error') {
    s.buffer.add(makeNode({ parentId: s.turn?.id ?? null, kind: 'error', role: 'system', status: 'error', startedAt: at, content: str(p.message) ?? '', metadata: rest(p, ['message']) }));
  } else if (p.type === 'turn_aborted') {
    if (s.turn) s.turn.metadata.aborted = str(p.reason) ?? true;
  }
}
