// Claude Code session files (~/.claude/projects/<project>/<session uuid>.jsonl): one JSON
// object per line. `user` and `assistant` lines carry an Anthropic Messages API `message`; one
// assistant reply is split over several lines (one per content block) sharing `message.id`;
// tool results come back as `user` lines whose content holds `tool_result` blocks; `summary`
// lines title the session. Sub-agent (Task tool) conversations are "sidechain" lines
// (isSidechain: true) whose first line has no parent and whose prompt is the Task call's.
//
// Mapping: a user prompt is a root user_message (a turn); each assistant message.id is an
// assistant_message step under it (text as its content, usage on it); thinking blocks are
// thought children, tool_use blocks action children, and each tool_result an observation under
// its action. A sidechain's turn sits under the Task action that started it.
import type { JsonValue } from '../../../shared/domain.js';
import { lineError } from '../errors.js';
import { jsonLines } from '../lines.js';
import { TURN_END, type ForeignNode, type ForeignSession, type ForeignTranscript, type SourceLine, type TurnEnd } from '../types.js';
import { count, isObj, isoTime, json, rest, str, type Obj } from '../values.js';
import { TurnBuffer, makeNode, msBetween } from './nodes.js';

const FORMAT = 'claude-code';
const LINE_FIELDS = ['type', 'uuid', 'parentUuid', 'timestamp', 'message', 'isSidechain', 'sessionId', 'cwd', 'version', 'gitBranch', 'userType', 'requestId'];
const SESSION_FIELDS = ['cwd', 'version', 'gitBranch'] as const;

/** One conversation thread: the main one, or a sub-agent's. */
interface Thread {
  turn: ForeignNode | null;
  step: ForeignNode | null;
  stepMessageId: string | null;
  /** Where a new turn of this thread goes: null (a root) or the Task action that spawned it. */
  anchor: string | null;
  /** Set on a sub-agent's thread: nodes inherit it in metadata. */
  subagent: Record<string, JsonValue> | null;
}

export function readClaudeCode(lines: AsyncIterable<SourceLine>): ForeignTranscript {
  const session: ForeignSession = { sourceId: null, title: null, metadata: {} };
  return { session, nodes: parse(lines, session) };
}

async function* parse(lines: AsyncIterable<SourceLine>, session: ForeignSession): AsyncGenerator<ForeignNode | TurnEnd> {
  const buffer = new TurnBuffer();
  const main: Thread = { turn: null, step: null, stepMessageId: null, anchor: null, subagent: null };
  /** Line uuid -> the thread it belongs to (sidechain lines follow their parent's thread). */
  const threadOf = new Map<string, Thread>();
  /** tool_use id -> action node (open calls of the current main turn and its sidechains). */
  const actions = new Map<string, ForeignNode>();
  const skipped: Record<string, number> = {};

  for await (const { value, no } of jsonLines(lines, (n, m) => lineError(FORMAT, n, m))) {
    if (!isObj(value) || typeof value.type !== 'string') throw lineError(FORMAT, no, 'expected a JSON object with a "type"');
    const line = value;
    const type = value.type;
    if (type === 'summary') {
      session.title ??= str(line.summary);
      continue;
    }
    if (type !== 'user' && type !== 'assistant' && type !== 'system') {
      skipped[type] = (skipped[type] ?? 0) + 1;
      continue;
    }
    const at = isoTime(line.timestamp);
    if (at === null) throw lineError(FORMAT, no, 'a user, assistant or system line needs an ISO "timestamp"');
    noteSession(session, line);

    const thread = pickThread(line, main, threadOf, actions, no);
    const uuid = str(line.uuid);
    if (uuid) threadOf.set(uuid, thread);
    const extra = rest(line, LINE_FIELDS);
    const base = { ...(uuid ? { uuid } : {}), ...(thread.subagent ? { subagent: thread.subagent } : {}), ...extra };

    if (line.type === 'system') {
      buffer.add(makeNode({ parentId: thread.turn?.id ?? thread.anchor, kind: 'system', role: 'system', startedAt: at, content: textOf(line.content ?? (line.message as Obj | undefined)?.content), metadata: base }));
      continue;
    }
    if (!isObj(line.message)) throw lineError(FORMAT, no, `a ${line.type} line needs a "message" object`);
    const message = line.message;
    if (line.type === 'user') {
      const blocks = Array.isArray(message.content) ? message.content : null;
      const results = blocks?.filter((b): b is Obj => isObj(b) && b.type === 'tool_result') ?? [];
      if (results.length > 0) {
        for (const r of results) addResult(buffer, actions, r, at, line, base);
        thread.step = null;
        thread.stepMessageId = null;
        continue;
      }
      // A new prompt on the main thread ends the previous turn.
      if (thread === main) {
        for (const n of buffer.drain()) yield n;
        yield TURN_END;
        actions.clear();
        threadOf.clear();
      }
      thread.turn = buffer.add(makeNode({ parentId: thread.anchor, kind: 'user_message', role: 'user', startedAt: at, content: textOf(message.content), metadata: { ...base, ...nonText(blocks) } }));
      thread.step = null;
      thread.stepMessageId = null;
      continue;
    }
    addAssistant(buffer, thread, actions, message, at, base, no);
  }
  for (const n of buffer.drain()) yield n;
  if (Object.keys(skipped).length > 0) session.metadata.skippedLines = skipped;
}

function noteSession(session: ForeignSession, line: Obj): void {
  if (session.sourceId === null && typeof line.sessionId === 'string') session.sourceId = line.sessionId;
  for (const f of SESSION_FIELDS) if (session.metadata[f] === undefined && typeof line[f] === 'string') session.metadata[f] = line[f];
}

/** The thread a line belongs to: the main one, or a sidechain found by its parent or its prompt. */
function pickThread(line: Obj, main: Thread, threadOf: Map<string, Thread>, actions: Map<string, ForeignNode>, no: number): Thread {
  if (line.isSidechain !== true) return main;
  const parent = str(line.parentUuid);
  const known = parent ? threadOf.get(parent) : undefined;
  if (known) return known;
  // A sidechain's first line: its prompt is the Task call's input.prompt; else the newest open Task call.
  const prompt = isObj(line.message) ? textOf(line.message.content) : '';
  const open = [...actions.values()].filter((a) => a.metadata.awaitingResult === true && isObj(a.toolArgs));
  const spawner = open.find((a) => (a.toolArgs as Obj).prompt === prompt) ?? open.reverse().find((a) => 'prompt' in (a.toolArgs as Obj));
  const subagent: Record<string, JsonValue> = { line: no, ...(spawner ? { toolCallId: spawner.metadata.toolCallId ?? null, name: (spawner.toolArgs as Obj).subagent_type as JsonValue ?? (spawner.toolArgs as Obj).description as JsonValue ?? null } : {}) };
  return { turn: null, step: null, stepMessageId: null, anchor: spawner?.id ?? null, subagent };
}

function addAssistant(buffer: TurnBuffer, thread: Thread, actions: Map<string, ForeignNode>, message: Obj, at: string, base: Record<string, JsonValue>, no: number): void {
  const messageId = str(message.id);
  if (!thread.step || messageId === null || messageId !== thread.stepMessageId) {
    // Replies without a turn (a resumed file that starts mid-way) become roots.
    thread.step = buffer.add(makeNode({ parentId: thread.turn?.id ?? thread.anchor, kind: 'assistant_message', role: 'assistant', startedAt: at, model: str(message.model), provider: 'anthropic', metadata: { ...base, ...(messageId ? { messageId } : {}) } }));
    thread.stepMessageId = messageId;
  }
  const step = thread.step;
  step.endedAt = at;
  if (typeof message.stop_reason === 'string') step.metadata.finishReason = message.stop_reason;
  if (isObj(message.usage)) {
    const u = message.usage;
    const cacheRead = count(u.cache_read_input_tokens);
    step.tokensIn = count(u.input_tokens) + count(u.cache_creation_input_tokens) + cacheRead;
    step.tokensOut = count(u.output_tokens);
    step.metadata.tokensCached = cacheRead;
    step.metadata.usage = json(u);
  }
  const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? message.content : null;
  if (!blocks) throw lineError(FORMAT, no, 'an assistant message needs "content"');
  for (const b of blocks) {
    if (!isObj(b)) continue;
    if (b.type === 'text') step.content += str(b.text) ?? '';
    else if (b.type === 'thinking' || b.type === 'redacted_thinking') {
      buffer.add(makeNode({ parentId: step.id, kind: 'thought', role: 'reasoning', startedAt: at, content: str(b.thinking) ?? '', metadata: { ...rest(b, ['type', 'thinking']), ...(thread.subagent ? { subagent: thread.subagent } : {}) } }));
    } else if (b.type === 'tool_use') {
      const toolCallId = str(b.id);
      const action = buffer.add(makeNode({ parentId: step.id, kind: 'action', role: 'assistant', startedAt: at, endedAt: null, toolName: str(b.name), toolArgs: json(b.input ?? null), metadata: { ...(toolCallId ? { toolCallId } : {}), awaitingResult: true, ...(thread.subagent ? { subagent: thread.subagent } : {}) } }));
      if (toolCallId) actions.set(toolCallId, action);
    } else step.metadata.blocks = [...((step.metadata.blocks as JsonValue[] | undefined) ?? []), json(b)];
  }
}

function addResult(buffer: TurnBuffer, actions: Map<string, ForeignNode>, r: Obj, at: string, line: Obj, base: Record<string, JsonValue>): void {
  const toolCallId = str(r.tool_use_id);
  const action = toolCallId ? actions.get(toolCallId) : undefined;
  const isError = r.is_error === true;
  const content = textOf(r.content);
  if (action) {
    delete action.metadata.awaitingResult;
    action.status = isError ? 'error' : 'complete';
    action.endedAt = at;
    action.durationMs = msBetween(action.startedAt, at);
    action.metadata.ran = true;
  }
  buffer.add(makeNode({
    parentId: action?.id ?? null,
    causeId: action?.id ?? null,
    kind: 'observation',
    role: 'tool',
    status: isError ? 'error' : 'complete',
    startedAt: at,
    content,
    toolName: action?.toolName ?? null,
    metadata: { ...base, isError, ...(toolCallId ? { toolCallId } : {}), ...(line.toolUseResult !== undefined ? { toolUseResult: json(line.toolUseResult) } : {}), ...(Array.isArray(r.content) ? { blocks: json(r.content) } : {}) },
  }));
}

/** The text of a string or a list of content blocks (text blocks joined). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.filter((b): b is Obj => isObj(b) && b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('\n');
}

function nonText(blocks: unknown[] | null): Record<string, JsonValue> {
  const other = blocks?.filter((b) => !(isObj(b) && b.type === 'text')) ?? [];
  return other.length > 0 ? { blocks: json(other) } : {};
}
