// AG-UI event stream, one JSON event per line (the protocol's own JSON encoding of its events).
// Each root of the log tree is a run (RUN_STARTED … RUN_FINISHED with per-model usage); a model
// step is STEP_STARTED, its text a TEXT_MESSAGE_START/CONTENT/END, its thinking a REASONING_*
// message, its tool calls TOOL_CALL_START/ARGS/END and each result TOOL_CALL_RESULT; a
// conversation nested under a tool call (a sub-agent) is SUBAGENT_STARTED … SUBAGENT_FINISHED and
// its events carry subagentRunId. Streamed chunks become one CONTENT/ARGS event each, stamped
// with their own time. Error and system nodes, which AG-UI has no event for inside a run, are
// CUSTOM "paddock.node" events. Every START-like event carries the node's other fields under
// metadata.paddock (see node-info.ts).
import type { LogChunk, LogNode } from '../../../shared/domain.js';
import type { LogPageWithChunks } from '../../logs/stream-export.js';
import { nodeInfo } from '../node-info.js';
import type { TextOut } from './out.js';
import type { ExportHeader, SessionExporter } from './types.js';

type Ev = Record<string, unknown> & { type: string };

interface Open {
  depth: number;
  kind: 'run' | 'step' | 'sub' | 'action';
  id: string;
  /** Tool call id (actions), step name (steps), usage per model (runs). */
  name?: string;
  usage?: Map<string, { provider: string | null; model: string | null; inputTokens: number; outputTokens: number; reasoningTokens: number }>;
}

export class AguiExporter implements SessionExporter {
  #threadId = '';
  #stack: Open[] = [];

  begin(h: ExportHeader): void {
    this.#threadId = h.session.id;
  }

  async page(p: LogPageWithChunks, out: TextOut): Promise<void> {
    const byNode = groupChunks(p.chunks);
    for (const n of p.nodes) {
      const events: Ev[] = [];
      this.#closeTo(n.depth, events);
      this.#open(n, byNode.get(n.id) ?? [], events);
      for (const e of events) await out.write(`${JSON.stringify(e)}\n`);
    }
  }

  async end(out: TextOut): Promise<void> {
    const events: Ev[] = [];
    this.#closeTo(0, events);
    for (const e of events) await out.write(`${JSON.stringify(e)}\n`);
  }

  /** Closes every open container at `depth` or deeper (a new node at that depth ends them). */
  #closeTo(depth: number, events: Ev[]): void {
    while (this.#stack.length > 0 && this.#stack[this.#stack.length - 1]!.depth >= depth) {
      const o = this.#stack.pop()!;
      const base = this.#attribution();
      if (o.kind === 'run') {
        const usage = [...(o.usage?.values() ?? [])].map((u) => ({ ...u, totalTokens: u.inputTokens + u.outputTokens }));
        events.push({ type: 'RUN_FINISHED', threadId: this.#threadId, runId: o.id, ...(usage.length > 0 ? { usage } : {}) });
      } else if (o.kind === 'step') events.push({ type: 'STEP_FINISHED', stepName: o.name, ...base });
      else if (o.kind === 'sub') events.push({ type: 'SUBAGENT_FINISHED', subagentRunId: o.id, outcome: { type: 'success' } });
    }
  }

  /** The sub-agent the next events belong to (the innermost open one). */
  #attribution(): { subagentRunId?: string } {
    for (let i = this.#stack.length - 1; i >= 0; i--) if (this.#stack[i]!.kind === 'sub') return { subagentRunId: this.#stack[i]!.id };
    return {};
  }

  #nearest(kind: Open['kind']): Open | undefined {
    for (let i = this.#stack.length - 1; i >= 0; i--) if (this.#stack[i]!.kind === kind) return this.#stack[i];
    return undefined;
  }

  #open(n: LogNode, chunks: LogChunk[], events: Ev[]): void {
    const ts = Date.parse(n.startedAt);
    const meta = { paddock: nodeInfo(n, chunks.length > 0) };
    if (n.depth === 0) {
      this.#stack.push({ depth: 0, kind: 'run', id: n.id, usage: new Map() });
      events.push({ type: 'RUN_STARTED', timestamp: ts, threadId: this.#threadId, runId: n.id });
    } else if (n.kind === 'user_message') {
      const action = this.#nearest('action');
      this.#stack.push({ depth: n.depth, kind: 'sub', id: n.id });
      const name = typeof n.metadata.subagent === 'object' && n.metadata.subagent !== null && !Array.isArray(n.metadata.subagent) ? n.metadata.subagent.name : null;
      events.push({ type: 'SUBAGENT_STARTED', timestamp: ts, subagentRunId: n.id, name: typeof name === 'string' ? name : (action?.name ?? 'subagent'), ...(action ? { parentToolCallId: action.name } : {}) });
    }
    const base = { ...this.#attribution() };
    switch (n.kind) {
      case 'user_message':
        text(events, 'TEXT_MESSAGE', n, 'user', chunks, base, meta);
        return;
      case 'assistant_message': {
        const stepName = `${n.model ?? 'model'} step`;
        this.#stack.push({ depth: n.depth, kind: 'step', id: n.id, name: stepName });
        events.push({ type: 'STEP_STARTED', timestamp: ts, stepName, ...base, metadata: meta });
        if (n.content !== '' || chunks.length > 0) text(events, 'TEXT_MESSAGE', n, 'assistant', chunks, base, null);
        const run = this.#nearest('run');
        if (run?.usage && (n.tokensIn > 0 || n.tokensOut > 0)) {
          const key = `${n.provider ?? ''}\u0000${n.model ?? ''}`;
          const u = run.usage.get(key) ?? { provider: n.provider, model: n.model, inputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
          u.inputTokens += n.tokensIn;
          u.outputTokens += n.tokensOut;
          u.reasoningTokens += n.tokensReasoning;
          run.usage.set(key, u);
        }
        return;
      }
      case 'thought':
        events.push({ type: 'REASONING_START', timestamp: ts, messageId: n.id, ...base });
        text(events, 'REASONING_MESSAGE', n, 'reasoning', chunks, base, meta);
        events.push({ type: 'REASONING_END', timestamp: end(n), messageId: n.id, ...base });
        return;
      case 'action': {
        const toolCallId = typeof n.metadata.toolCallId === 'string' ? n.metadata.toolCallId : n.id;
        this.#stack.push({ depth: n.depth, kind: 'action', id: n.id, name: toolCallId });
        const step = this.#nearest('step');
        events.push({ type: 'TOOL_CALL_START', timestamp: ts, toolCallId, toolCallName: n.toolName ?? 'tool', ...(step ? { parentMessageId: step.id } : {}), ...base, metadata: meta });
        const pieces = chunks.length > 0 ? chunks.map((c) => ({ delta: c.text, at: ts + c.atMs })) : n.toolArgs === null ? [] : [{ delta: JSON.stringify(n.toolArgs), at: ts }];
        for (const c of pieces) events.push({ type: 'TOOL_CALL_ARGS', timestamp: c.at, toolCallId, delta: c.delta, ...base });
        events.push({ type: 'TOOL_CALL_END', timestamp: end(n), toolCallId, ...base });
        return;
      }
      case 'observation': {
        const action = this.#nearest('action');
        events.push({ type: 'TOOL_CALL_RESULT', timestamp: ts, messageId: n.id, toolCallId: action?.name ?? n.causeId ?? n.id, content: n.content, role: 'tool', ...base, metadata: meta });
        return;
      }
      default:
        events.push({ type: 'CUSTOM', timestamp: ts, name: 'paddock.node', value: { content: n.content, toolArgs: n.toolArgs }, ...base, metadata: meta });
    }
  }
}

function end(n: LogNode): number {
  return Date.parse(n.endedAt ?? n.startedAt);
}

/** START / CONTENT… / END of one message; chunks keep their own times. */
function text(events: Ev[], prefix: 'TEXT_MESSAGE' | 'REASONING_MESSAGE', n: LogNode, role: string, chunks: LogChunk[], base: object, meta: object | null): void {
  const ts = Date.parse(n.startedAt);
  events.push({ type: `${prefix}_START`, timestamp: ts, messageId: n.id, role, ...base, ...(meta ? { metadata: meta } : {}) });
  const pieces = chunks.length > 0 ? chunks.map((c) => ({ delta: c.text, at: ts + c.atMs })) : n.content === '' ? [] : [{ delta: n.content, at: ts }];
  for (const c of pieces) events.push({ type: `${prefix}_CONTENT`, timestamp: c.at, messageId: n.id, delta: c.delta, ...base });
  events.push({ type: `${prefix}_END`, timestamp: end(n), messageId: n.id, ...base });
}

export function groupChunks(chunks: LogChunk[]): Map<string, LogChunk[]> {
  const m = new Map<string, LogChunk[]>();
  for (const c of chunks) {
    let l = m.get(c.nodeId);
    if (!l) m.set(c.nodeId, (l = []));
    l.push(c);
  }
  return m;
}
