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
// its action. A sidechain's turn sits under the Task action that started it: inline sidechain
// lines (older versions) and, given the session's file, the sub-agent transcripts in its
// companion folder (claude-subagents.ts), merged when the spawning call's result names them.
import type { JsonValue } from '../../../shared/domain.js';
import { lineError } from '../errors.js';
import { jsonLines } from '../lines.js';
import { TURN_END, type ForeignNode, type ForeignSession, type ForeignTranscript, type SourceLine, type TurnEnd } from '../types.js';
import { count, isObj, isoTime, json, rest, str, type Obj } from '../values.js';
import { spawnedAgentId, type SubagentFiles } from './claude-subagents.js';
import { TurnBuffer, makeNode, msBetween } from './nodes.js';

const FORMAT = 'claude-code';
const LINE_FIELDS = ['type', 'uuid', 'parentUuid', 'timestamp', 'message', 'isSidechain', 'sessionId', 'cwd', 'version', 'gitBranch', 'userType', 'requestId', 'agentId'];
/** Sub-agents may spawn sub-agents; deeper than this the file is refused as malformed. */
const MAX_SUBAGENT_DEPTH = 16;
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

/** Everything one conversation's lines are read into: the session's main one, or a sub-agent file's. */
interface Ctx {
  session: ForeignSession;
  buffer: TurnBuffer;
  main: Thread;
  /** Line uuid -> the thread it belongs to (sidechain lines follow their parent's thread). */
  threadOf: Map<string, Thread>;
  /** tool_use id -> action node (open calls of the current main turn and its sidechains). */
  actions: Map<string, ForeignNode>;
  /** Actions an inline sidechain was found under: their sub-agent is already in the file. */
  inline: Set<string>;
  skipped: Record<string, number>;
  subagents: SubagentFiles | null;
  /** 0 for the session file; a sub-agent file's lines all belong to its one thread. */
  depth: number;
  fail: (no: number, message: string) => Error;
}

/** `subagents`: the session's companion folder, when the file was read from disk. */
export function readClaudeCode(lines: AsyncIterable<SourceLine>, subagents: SubagentFiles | null = null): ForeignTranscript {
  const session: ForeignSession = { sourceId: null, title: null, metadata: {} };
  return { session, nodes: parse(lines, session, subagents) };
}

async function* parse(lines: AsyncIterable<SourceLine>, session: ForeignSession, subagents: SubagentFiles | null): AsyncGenerator<ForeignNode | TurnEnd> {
  const ctx: Ctx = {
    session, buffer: new TurnBuffer(), main: { turn: null, step: null, stepMessageId: null, anchor: null, subagent: null },
    threadOf: new Map(), actions: new Map(), inline: new Set(), skipped: {}, subagents, depth: 0, fail: (n, m) => lineError(FORMAT, n, m),
  };
  for await (const { value, no } of jsonLines(lines, ctx.fail)) {
    // A new prompt on the main thread ends the previous turn.
    if (isMainPrompt(value)) {
      for (const n of ctx.buffer.drain()) yield n;
      yield TURN_END;
      ctx.actions.clear();
      ctx.threadOf.clear();
      ctx.inline.clear();
    }
    await readLine(ctx, value, no);
  }
  for (const n of ctx.buffer.drain()) yield n;
  if (Object.keys(ctx.skipped).length > 0) session.metadata.skippedLines = ctx.skipped;
  const left = await subagents?.unopened();
  if (left && left.length > 0) session.metadata.subagentFilesNotMerged = left;
}

function isMainPrompt(v: unknown): boolean {
  if (!isObj(v) || v.type !== 'user' || v.isSidechain === true || !isObj(v.message)) return false;
  const c = v.message.content;
  return !(Array.isArray(c) && c.some((b) => isObj(b) && b.type === 'tool_result'));
}

async function readLine(ctx: Ctx, value: unknown, no: number): Promise<void> {
  if (!isObj(value) || typeof value.type !== 'string') throw ctx.fail(no, 'expected a JSON object with a "type"');
  const line = value;
  const type = value.type;
  if (type === 'summary') {
    if (ctx.depth === 0) ctx.session.title ??= str(line.summary);
    return;
  }
  if (type !== 'user' && type !== 'assistant' && type !== 'system') {
    ctx.skipped[type] = (ctx.skipped[type] ?? 0) + 1;
    return;
  }
  const at = isoTime(line.timestamp);
  if (at === null) throw ctx.fail(no, 'a user, assistant or system line needs an ISO "timestamp"');
  noteSession(ctx.session, line);

  const thread = ctx.depth > 0 ? ctx.main : pickThread(line, ctx, no);
  const uuid = str(line.uuid);
  if (uuid) ctx.threadOf.set(uuid, thread);
  const extra = rest(line, LINE_FIELDS);
  const base = { ...(uuid ? { uuid } : {}), ...(thread.subagent ? { subagent: thread.subagent } : {}), ...extra };

  if (line.type === 'system') {
    ctx.buffer.add(makeNode({ parentId: thread.turn?.id ?? thread.anchor, kind: 'system', role: 'system', startedAt: at, content: textOf(line.content ?? (line.message as Obj | undefined)?.content), metadata: base }));
    return;
  }
  if (!isObj(line.message)) throw ctx.fail(no, `a ${line.type} line needs a "message" object`);
  const message = line.message;
  if (line.type === 'user') {
    const blocks = Array.isArray(message.content) ? message.content : null;
    const results = blocks?.filter((b): b is Obj => isObj(b) && b.type === 'tool_result') ?? [];
    if (results.length > 0) {
      for (const r of results) {
        await mergeSubagent(ctx, r, line, no);
        addResult(ctx.buffer, ctx.actions, r, at, line, base);
      }
      thread.step = null;
      thread.stepMessageId = null;
      return;
    }
    thread.turn = ctx.buffer.add(makeNode({ parentId: thread.anchor, kind: 'user_message', role: 'user', startedAt: at, content: textOf(message.content), metadata: { ...base, ...nonText(blocks) } }));
    thread.step = null;
    thread.stepMessageId = null;
    return;
  }
  addAssistant(ctx.buffer, thread, ctx.actions, message, at, base, no, ctx.fail);
}

/**
 * When a tool result names the sub-agent its call spawned and the companion folder holds that
 * sub-agent's transcript, reads it whole into the current turn under the call (before the
 * result: the sub-agent ran before its answer came back). A sub-agent found inline is not read twice.
 */
async function mergeSubagent(ctx: Ctx, r: Obj, line: Obj, no: number): Promise<void> {
  if (!ctx.subagents) return;
  const toolCallId = str(r.tool_use_id);
  const action = toolCallId ? ctx.actions.get(toolCallId) : undefined;
  if (!action || ctx.inline.has(action.id)) return;
  const agentId = spawnedAgentId(line.toolUseResult, textOf(r.content));
  if (agentId === null) return;
  const found = await ctx.subagents.open(agentId);
  if (!found) return;
  if (ctx.depth + 1 > MAX_SUBAGENT_DEPTH) throw ctx.fail(no, `sub-agents nested deeper than ${MAX_SUBAGENT_DEPTH} levels`);
  const args = isObj(action.toolArgs) ? action.toolArgs : {};
  const name = found.meta.agentType ?? (args.subagent_type as JsonValue | undefined) ?? (args.description as JsonValue | undefined) ?? null;
  const subagent: Record<string, JsonValue> = { agentId, file: found.file, toolCallId: toolCallId!, name, ...(Object.keys(found.meta).length > 0 ? { meta: found.meta } : {}) };
  const sub: Ctx = {
    ...ctx,
    main: { turn: null, step: null, stepMessageId: null, anchor: action.id, subagent },
    threadOf: new Map(), actions: new Map(), inline: new Set(), depth: ctx.depth + 1,
    fail: (n, m) => lineError(FORMAT, n, `${found.file}: ${m}`),
  };
  for await (const { value, no: subNo } of jsonLines(found.lines, sub.fail)) await readLine(sub, value, subNo);
}

function noteSession(session: ForeignSession, line: Obj): void {
  if (session.sourceId === null && typeof line.sessionId === 'string') session.sourceId = line.sessionId;
  for (const f of SESSION_FIELDS) if (session.metadata[f] === undefined && typeof line[f] === 'string') session.metadata[f] = line[f];
}

/** The thread a line belongs to: the main one, or a sidechain found by its parent or its prompt. */
function pickThread(line: Obj, ctx: Ctx, no: number): Thread {
  if (line.isSidechain !== true) return ctx.main;
  const parent = str(line.parentUuid);
  const known = parent ? ctx.threadOf.get(parent) : undefined;
  if (known) return known;
  const actions = ctx.actions;
  // A sidechain's first line: its prompt is the Task call's input.prompt; else the newest open Task call.
  const prompt = isObj(line.message) ? textOf(line.message.content) : '';
  const open = [...actions.values()].filter((a) => a.metadata.awaitingResult === true && isObj(a.toolArgs));
  const spawner = open.find((a) => (a.toolArgs as Obj).prompt === prompt) ?? open.reverse().find((a) => 'prompt' in (a.toolArgs as Obj));
  const subagent: Record<string, JsonValue> = { line: no, ...(spawner ? { toolCallId: spawner.metadata.toolCallId ?? null, name: (spawner.toolArgs as Obj).subagent_type as JsonValue ?? (spawner.toolArgs as Obj).description as JsonValue ?? null } : {}) };
  if (spawner) ctx.inline.add(spawner.id);
  return { turn: null, step: null, stepMessageId: null, anchor: spawner?.id ?? null, subagent };
}

function addAssistant(buffer: TurnBuffer, thread: Thread, actions: Map<string, ForeignNode>, message: Obj, at: string, base: Record<string, JsonValue>, no: number, fail: (no: number, message: string) => Error): void {
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
  if (!blocks) throw fail(no, 'an assistant message needs "content"');
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
