// The generated agent event stream every ingest-type benchmark feeds. Seeded, so the same seed
// gives the same events byte for byte. Sizes follow issue 5: text streamed as deltas of 1–30
// characters, tool arguments of 100 B–10 KB (streamed as deltas, like AG-UI TOOL_CALL_ARGS),
// tool results up to 200 KB, nested tool calls, and sub-agents (sometimes two running at once,
// their events interleaved).

import type { JsonValue, LogKind, LogStatus } from '../../src/shared/domain.js';
import { Rng } from './rng.js';

/** A node as the agent runtime announces it; `key` is the generator's handle (0, 1, 2...). */
export interface NodeSpec {
  key: number;
  session: number;
  parentKey: number | null;
  causeKey: number | null;
  kind: LogKind;
  role: string | null;
  /** Streamed nodes start 'streaming' and get deltas; others start finished or 'running'. */
  streaming: boolean;
  status: LogStatus;
  content: string;
  toolName: string | null;
  model: string | null;
  provider: string | null;
  metadata: Record<string, JsonValue>;
}

export interface FinishSpec {
  status: LogStatus;
  tokensIn: number;
  tokensOut: number;
  toolResult: JsonValue | null;
}

export type WorkEvent =
  | { type: 'start'; node: NodeSpec }
  | { type: 'delta'; key: number; text: string }
  /** A tool call's arguments are complete and the tool starts running. */
  | { type: 'tool_status'; key: number; status: 'running' }
  | { type: 'finish'; key: number; finish: FinishSpec };

export interface WorkloadOptions {
  seed: number;
  /** Stop after the turn that reaches this many events. */
  events: number;
  /** Concurrent sessions whose events interleave. */
  sessions?: number;
  /** Upper bound of a tool result (bytes); 200 KB per the issue. */
  maxResultBytes?: number;
}

export interface Workload {
  events: WorkEvent[];
  nodes: number;
  deltas: number;
  sessions: number;
  /** Bytes of text and JSON carried by the events (deltas + contents + results). */
  payloadBytes: number;
}

const WORDS = (
  'the agent reads file config value error result tool call search query found line function return ' +
  'async await data model token stream delta node tree session user assistant thought action observation ' +
  'build test pass fail retry check path index table insert select update commit write buffer flush event ' +
  'migrate schema record parent child depth status complete running pending approve deny cost usage'
).split(' ');
const TOOLS = ['read_file', 'write_file', 'shell', 'search', 'fetch_url', 'list_dir', 'grep', 'edit_file'];
const MODELS = ['gpt-5-mini', 'claude-sonnet-4', 'qwen3-coder'];

function words(rng: Rng, bytes: number): string {
  const parts: string[] = [];
  let len = 0;
  while (len < bytes) {
    const w = rng.pick(WORDS);
    parts.push(w);
    len += w.length + 1;
    if (rng.chance(0.08)) {
      parts.push('.\n');
      len += 2;
    }
  }
  return parts.join(' ').slice(0, bytes);
}

/** Splits text into deltas of 1–30 characters. */
function deltas(rng: Rng, text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = rng.int(1, 30);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/** Tool arguments of roughly `bytes` bytes once serialised. */
function toolArgs(rng: Rng, tool: string, bytes: number): JsonValue {
  const path = `src/${rng.pick(WORDS)}/${rng.pick(WORDS)}.ts`;
  if (tool === 'write_file' || tool === 'edit_file') return { path, content: words(rng, Math.max(1, bytes - 40)) };
  if (tool === 'shell') return { command: `npm run ${rng.pick(WORDS)} -- ${words(rng, Math.max(1, bytes - 30))}` };
  return { path, query: words(rng, Math.max(1, bytes - 40)) };
}

/**
 * Tool result size: mostly small, with a long tail up to maxBytes (log-uniform in three bands),
 * which is what file reads and shell output look like in practice.
 */
function resultBytes(rng: Rng, max: number): number {
  const r = rng.next();
  if (r < 0.7) return rng.logInt(20, Math.min(max, 2_000));
  if (r < 0.95) return rng.logInt(Math.min(max, 2_000), Math.min(max, 20_000));
  return rng.logInt(Math.min(max, 20_000), max);
}

class Builder {
  private nextKey = 0;
  nodes = 0;
  payloadBytes = 0;

  constructor(
    private readonly rng: Rng,
    private readonly maxResult: number,
  ) {}

  private node(session: number, parentKey: number | null, partial: Partial<NodeSpec> & Pick<NodeSpec, 'kind'>): NodeSpec {
    this.nodes++;
    const spec: NodeSpec = {
      key: this.nextKey++,
      session,
      parentKey,
      causeKey: null,
      role: null,
      streaming: false,
      status: 'complete',
      content: '',
      toolName: null,
      model: null,
      provider: null,
      metadata: {},
      ...partial,
    };
    this.payloadBytes += spec.content.length;
    return spec;
  }

  /** start, deltas, then either the end (text) or 'running' (a tool call whose arguments are complete). */
  private streamed(out: WorkEvent[], spec: NodeSpec, text: string, finish: Partial<FinishSpec> | 'running' = {}): void {
    out.push({ type: 'start', node: spec });
    for (const d of deltas(this.rng, text)) out.push({ type: 'delta', key: spec.key, text: d });
    this.payloadBytes += text.length;
    if (finish === 'running') {
      out.push({ type: 'tool_status', key: spec.key, status: 'running' });
      return;
    }
    out.push({
      type: 'finish',
      key: spec.key,
      finish: { status: 'complete', tokensIn: 0, tokensOut: Math.ceil(text.length / 4), toolResult: null, ...finish },
    });
  }

  /** One user turn: the message, then 1–6 model steps (thought, text, tool calls, sub-agents). */
  turn(session: number, depth: number): WorkEvent[] {
    const rng = this.rng;
    const out: WorkEvent[] = [];
    const user = this.node(session, null, { kind: 'user_message', role: 'user', content: words(rng, rng.logInt(20, 2_000)) });
    out.push({ type: 'start', node: user });
    this.agentSteps(out, session, user.key, depth);
    return out;
  }

  private agentSteps(out: WorkEvent[], session: number, parentKey: number, depth: number): void {
    const rng = this.rng;
    const model = rng.pick(MODELS);
    const steps = rng.int(1, depth === 0 ? 6 : 3);
    for (let s = 0; s < steps; s++) {
      if (rng.chance(0.5)) {
        const t = this.node(session, parentKey, { kind: 'thought', role: 'reasoning', streaming: true, status: 'streaming', model });
        this.streamed(out, t, words(rng, rng.logInt(60, 1_500)));
      }
      if (rng.chance(0.8) || s === steps - 1) {
        const m = this.node(session, parentKey, { kind: 'assistant_message', role: 'assistant', streaming: true, status: 'streaming', model, provider: 'openai' });
        this.streamed(out, m, words(rng, rng.logInt(40, 3_000)), { tokensIn: rng.int(500, 50_000) });
      }
      if (s === steps - 1) break;
      const calls = rng.int(1, 3);
      const parallel: WorkEvent[][] = [];
      for (let c = 0; c < calls; c++) {
        const seqOut: WorkEvent[] = [];
        const subAgent = depth < 2 && rng.chance(0.08);
        const tool = subAgent ? 'spawn_agent' : rng.pick(TOOLS);
        const action = this.node(session, parentKey, { kind: 'action', role: 'assistant', streaming: true, status: 'streaming', toolName: tool, model });
        this.streamed(seqOut, action, JSON.stringify(toolArgs(rng, tool, rng.logInt(100, 10_000))), 'running');
        if (subAgent) {
          const sys = this.node(session, action.key, { kind: 'system', role: 'system', content: `sub-agent ${action.key}: ${words(rng, 200)}` });
          seqOut.push({ type: 'start', node: sys });
          this.agentSteps(seqOut, session, action.key, depth + 1);
        }
        // The tool's result: an observation answering the call, then the call itself ends.
        const result = words(rng, resultBytes(rng, this.maxResult));
        this.payloadBytes += result.length;
        const obs = this.node(session, action.key, { kind: 'observation', role: 'tool', causeKey: action.key, status: 'running', toolName: tool });
        seqOut.push({ type: 'start', node: obs });
        seqOut.push({ type: 'finish', key: obs.key, finish: { status: 'complete', tokensIn: 0, tokensOut: 0, toolResult: { ok: true, output: result } } });
        seqOut.push({ type: 'finish', key: action.key, finish: { status: 'complete', tokensIn: 0, tokensOut: 0, toolResult: null } });
        parallel.push(seqOut);
      }
      // Tool calls of one step run concurrently: interleave their events.
      out.push(...interleave(rng, parallel));
    }
  }
}

/** Merges sequences at random, keeping each one's own order. */
export function interleave<T>(rng: Rng, seqs: T[][]): T[] {
  if (seqs.length === 1) return seqs[0]!;
  const idx = seqs.map(() => 0);
  const out: T[] = [];
  let left = seqs.reduce((n, s) => n + s.length, 0);
  while (left > 0) {
    const live = seqs.map((s, i) => i).filter((i) => idx[i]! < seqs[i]!.length);
    const i = rng.pick(live);
    // Runs of a few events from one stream, as socket reads deliver them.
    const run = rng.int(1, 8);
    for (let k = 0; k < run && idx[i]! < seqs[i]!.length; k++) {
      out.push(seqs[i]![idx[i]!++]!);
      left--;
    }
  }
  return out;
}

export function generateWorkload(opts: WorkloadOptions): Workload {
  const rng = new Rng(opts.seed);
  const b = new Builder(rng, opts.maxResultBytes ?? 200_000);
  const sessions = opts.sessions ?? 1;
  const perSession: WorkEvent[][] = Array.from({ length: sessions }, () => []);
  let total = 0;
  while (total < opts.events) {
    for (let s = 0; s < sessions && total < opts.events; s++) {
      const t = b.turn(s, 0);
      perSession[s]!.push(...t);
      total += t.length;
    }
  }
  const events = interleave(rng, perSession);
  return { events, nodes: b.nodes, deltas: events.filter((e) => e.type === 'delta').length, sessions, payloadBytes: b.payloadBytes };
}
