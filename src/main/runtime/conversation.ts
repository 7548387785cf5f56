// Rebuilds what the model is sent from the stored log tree, so a follow-up, a resume after a
// stop or a crash, and an approval after a restart all continue from exactly what was recorded.
//
// The tree the runner writes (one turn per user message):
//   user_message (root)
//     assistant_message      one per model call: text, model, usage
//       thought              reasoning, if the model gave any
//       action               one per tool call: toolName, toolArgs, metadata.toolCallId
//         observation        the tool's output (causeId = the action)
//       action (continues)   after a restart, an answered approval re-issues the call as a new
//                            action node (causeId = the old one, same toolCallId)
//     system (role user)     "continue" notes added by resume
//     error                  a failed model call or run-level problem
//     system (role system)   a retry: metadata.supersedes names the entries of this turn it
//                            replaced (kept in the log, never sent again); a retried tool call's
//                            new action node carries the same

import type { AssistantModelMessage, ModelMessage, TextPart, ToolCallPart, ToolResultPart } from 'ai';

type ReasoningPart = Extract<Exclude<AssistantModelMessage['content'], string>[number], { type: 'reasoning' }>;
import type { JsonValue, LogNode } from '../../shared/domain';

/** A tool call of the last model step that has no result yet. */
export interface UnfinishedCall {
  /** The newest action node of this call. */
  node: LogNode;
  toolCallId: string;
  toolName: string;
  args: unknown;
  /** What is left to do for it. */
  state: 'pending' | 'approved';
}

export interface Conversation {
  messages: ModelMessage[];
  /** The latest user message node: where the next model call's nodes go. */
  turnNodeId: string | null;
  /** Tool calls of the last step still needing an answer or execution (held back from `messages`). */
  unfinished: UnfinishedCall[];
  /** The assistant node the unfinished calls belong to. */
  unfinishedStepNodeId: string | null;
  /** Results already known for that step (calls that were denied or ran before the others). */
  knownResults: ToolResultPart[];
  /** Where that step's tool message belongs in `messages` (messages queued later come after it). */
  unfinishedInsertAt: number;
  /** Model calls since the latest user message (for max steps). */
  stepsInTurn: number;
  /** True when the last message sent would be the assistant's (resume must add a "continue"). */
  endsWithAssistant: boolean;
}

export const INTERRUPTED_TOOL_TEXT = 'The tool call did not complete: the session was stopped or the app closed while it ran, so its outcome is unknown.';
export const NOT_RUN_TOOL_TEXT = 'The tool call was not run: the session was stopped before it was approved.';
export const RESUME_NOTE = 'The previous response was interrupted. Continue where you left off.';

function callIdOf(n: LogNode): string {
  const v = n.metadata.toolCallId;
  return typeof v === 'string' && v ? v : n.id;
}

function wasPending(n: LogNode): boolean {
  return n.status === 'pending_approval' || (n.status === 'interrupted' && n.metadata.interruptedFrom === 'pending_approval');
}

function wasApproved(n: LogNode): boolean {
  return n.status === 'approved' || (n.status === 'interrupted' && n.metadata.interruptedFrom === 'approved');
}

function deniedText(n: LogNode): string {
  const reason = typeof n.metadata.denyReason === 'string' && n.metadata.denyReason ? ` Reason: ${n.metadata.denyReason}` : '';
  return `The user denied this tool call.${reason}`;
}

/** Every entry some retry replaced (named by the entry that started the retry), and `extra`. */
export function supersededIds(nodes: readonly LogNode[], extra: readonly string[] = []): Set<string> {
  const out = new Set(extra);
  for (const n of nodes) {
    const s = n.metadata.supersedes;
    if (Array.isArray(s)) for (const id of s) if (typeof id === 'string') out.add(id);
  }
  return out;
}

export interface RebuildOptions {
  /** Entries a retry about to start replaces (its own entry, naming them, is not written yet). */
  supersedes?: readonly string[];
  /** A failed tool call being retried: it counts as waiting to run, whatever its result was. */
  reopen?: string;
}

type Kids = (id: string | null) => LogNode[];

/** Each node's children in write order (seq), by parent id. */
function childrenOf(nodes: readonly LogNode[]): Kids {
  const children = new Map<string | null, LogNode[]>();
  for (const n of nodes) {
    const list = children.get(n.parentId) ?? [];
    list.push(n);
    children.set(n.parentId, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.seq - b.seq);
  return (id) => children.get(id) ?? [];
}

/** The step's tool calls: the newest action node per tool call id (a continuation replaces what it continues). */
function callsOf(kids: Kids, step: LogNode): LogNode[] {
  const byCall = new Map<string, LogNode>();
  for (const a of kids(step.id)) {
    if (a.kind !== 'action') continue;
    // A call whose arguments never finished streaming was never made.
    if (a.status === 'streaming' || (a.status === 'interrupted' && a.metadata.interruptedFrom === 'streaming') || a.metadata.incomplete === true) continue;
    byCall.set(callIdOf(a), a);
  }
  return [...byCall.values()];
}

function assistantContent(kids: Kids, step: LogNode, calls: readonly LogNode[]): Array<ReasoningPart | TextPart | ToolCallPart> {
  const content: Array<ReasoningPart | TextPart | ToolCallPart> = [];
  // Signed thinking goes back to Anthropic (required with extended thinking and tool use);
  // other reasoning is for the reader only and is not re-sent.
  for (const t of kids(step.id)) {
    const sig = t.metadata.signature;
    if (t.kind === 'thought' && t.status === 'complete' && typeof sig === 'string') {
      content.push({ type: 'reasoning', text: t.content, providerOptions: { anthropic: { signature: sig } } });
    }
  }
  if (step.content) content.push({ type: 'text', text: step.content });
  for (const a of calls) content.push({ type: 'tool-call', toolCallId: callIdOf(a), toolName: a.toolName ?? 'unknown', input: (a.toolArgs ?? {}) as JsonValue });
  return content;
}

function openCall(a: LogNode, state: UnfinishedCall['state']): UnfinishedCall {
  return { node: a, toolCallId: callIdOf(a), toolName: a.toolName ?? 'unknown', args: a.toolArgs, state };
}

/** Each call's known result, or why it is still open (waiting for an answer, or approved and not run). */
function settleCalls(kids: Kids, calls: readonly LogNode[], reopen: string | undefined): { results: ToolResultPart[]; open: UnfinishedCall[] } {
  const results: ToolResultPart[] = [];
  const open: UnfinishedCall[] = [];
  for (const a of calls) {
    const obs = kids(a.id).find((c) => c.kind === 'observation');
    const base = { type: 'tool-result' as const, toolCallId: callIdOf(a), toolName: a.toolName ?? 'unknown' };
    if (a.id === reopen) {
      open.push(openCall(a, 'pending'));
    } else if (obs) {
      const isError = (obs.toolResult as { isError?: boolean } | null)?.isError === true || obs.status === 'error';
      results.push({ ...base, output: isError ? { type: 'error-text', value: obs.content } : { type: 'text', value: obs.content } });
    } else if (a.status === 'denied') {
      results.push({ ...base, output: { type: 'error-text', value: deniedText(a) } });
    } else if (wasPending(a) && a.metadata.stopped !== true) {
      open.push(openCall(a, 'pending'));
    } else if (wasApproved(a)) {
      open.push(openCall(a, 'approved'));
    } else if (a.metadata.stopped === true && a.metadata.ran !== true) {
      results.push({ ...base, output: { type: 'error-text', value: NOT_RUN_TOOL_TEXT } });
    } else {
      results.push({ ...base, output: { type: 'error-text', value: INTERRUPTED_TOOL_TEXT } });
    }
  }
  return { results, open };
}

export function rebuildConversation(nodes: readonly LogNode[], opts: RebuildOptions = {}): Conversation {
  const superseded = supersededIds(nodes, opts.supersedes);
  const kids = childrenOf(nodes);

  const messages: ModelMessage[] = [];
  let turnNodeId: string | null = null;
  let unfinished: UnfinishedCall[] = [];
  let unfinishedStepNodeId: string | null = null;
  let known: ToolResultPart[] = [];
  let insertAt = 0;
  let stepsInTurn = 0;

  const addStep = (step: LogNode) => {
    stepsInTurn++;
    const calls = callsOf(kids, step);
    const content = assistantContent(kids, step, calls);
    if (content.length === 0) return;
    messages.push({ role: 'assistant', content });
    const { results, open } = settleCalls(kids, calls, opts.reopen);
    if (open.length > 0) {
      // Only the last step can still be open; its results wait until every call is answered.
      unfinished = open;
      unfinishedStepNodeId = step.id;
      known = results;
      insertAt = messages.length;
      return;
    }
    unfinished = [];
    unfinishedStepNodeId = null;
    known = [];
    if (results.length > 0) messages.push({ role: 'tool', content: results });
  };

  for (const root of kids(null)) {
    if (root.kind === 'user_message' || (root.kind === 'system' && root.role === 'user')) {
      if (root.kind === 'user_message') {
        turnNodeId = root.id;
        stepsInTurn = 0;
      }
      messages.push({ role: 'user', content: root.content });
    }
    for (const child of kids(root.id)) {
      if (superseded.has(child.id)) continue;
      if (child.kind === 'assistant_message') addStep(child);
      else if (child.kind === 'system' && child.role === 'user') messages.push({ role: 'user', content: child.content });
    }
  }

  return {
    messages,
    turnNodeId,
    unfinished,
    unfinishedStepNodeId,
    knownResults: known,
    unfinishedInsertAt: unfinished.length > 0 ? insertAt : messages.length,
    stepsInTurn,
    endsWithAssistant: messages.at(-1)?.role === 'assistant' && unfinished.length === 0,
  };
}
