// What the timeline draws for one log node: its span split into phases (the model writing,
// waiting for approval, the tool executing...). Pure; dates are parsed once per node and kept,
// so a redraw of a 100,000-node session only touches the rows on screen.
import type { LogNode } from '../../../shared/domain';

export type Phase = 'user' | 'model' | 'thinking' | 'writing' | 'approval' | 'tool' | 'error' | 'system';

export const PHASE_LABEL: Record<Phase, string> = {
  user: 'user message',
  model: 'model',
  thinking: 'thinking',
  writing: 'model writes call',
  approval: 'waiting for approval',
  tool: 'tool executing',
  error: 'error',
  system: 'system',
};

export interface Segment {
  phase: Phase;
  startMs: number;
  endMs: number;
}

/** Nodes still open grow with the clock. */
const OPEN = new Set(['streaming', 'running', 'pending_approval', 'approved', 'pending']);

const parsed = new WeakMap<LogNode, { start: number; end: number }>();

function times(node: LogNode): { start: number; end: number } {
  let t = parsed.get(node);
  if (!t) {
    const start = Date.parse(node.startedAt);
    let end = node.endedAt ? Date.parse(node.endedAt) : Number.NaN;
    if (Number.isNaN(end) && node.durationMs !== null && !Number.isNaN(start)) end = start + node.durationMs;
    t = { start, end };
    parsed.set(node, t);
  }
  return t;
}

/** The node's start and end in ms since epoch; an open node ends "now". */
export function nodeSpan(node: LogNode, nowMs: number): { startMs: number; endMs: number } {
  const { start, end } = times(node);
  if (!Number.isNaN(end)) return { startMs: start, endMs: Math.max(start, end) };
  return { startMs: start, endMs: OPEN.has(node.status) ? Math.max(start, nowMs) : start };
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function nodeSegments(node: LogNode, nowMs: number): Segment[] {
  const { startMs, endMs } = nodeSpan(node, nowMs);
  if (Number.isNaN(startMs)) return [];
  switch (node.kind) {
    case 'user_message':
      return [{ phase: 'user', startMs, endMs }];
    case 'assistant_message':
      return [{ phase: 'model', startMs, endMs }];
    case 'thought':
      return [{ phase: 'thinking', startMs, endMs }];
    case 'observation':
      return [{ phase: 'tool', startMs, endMs }];
    case 'error':
      return [{ phase: 'error', startMs, endMs }];
    case 'action':
      return actionSegments(node, startMs, endMs);
    default:
      return [{ phase: 'system', startMs, endMs }];
  }
}

/** A tool call: the model writing it, then (maybe) the wait for approval, then the execution.
 *  The execution time is the node's durationMs and the wait its metadata.waitMs, both at the end. */
function actionSegments(node: LogNode, startMs: number, endMs: number): Segment[] {
  if (node.status === 'pending_approval') return [{ phase: 'approval', startMs, endMs }];
  if (node.status === 'running') return [{ phase: 'tool', startMs, endMs }];
  const execMs = node.metadata.ran === true ? Math.min(num(node.durationMs), endMs - startMs) : 0;
  const execStart = endMs - execMs;
  const waitMs = Math.min(num(node.metadata.waitMs), execStart - startMs);
  const waitStart = execStart - waitMs;
  const out: Segment[] = [];
  if (waitStart > startMs || (waitMs === 0 && execMs === 0)) out.push({ phase: 'writing', startMs, endMs: waitStart });
  if (waitMs > 0) out.push({ phase: 'approval', startMs: waitStart, endMs: execStart });
  if (execMs > 0) out.push({ phase: 'tool', startMs: execStart, endMs });
  return out;
}

/** A short name for the row: the tool's name or the first line of the text. */
export function nodeLabel(node: LogNode): string {
  if (node.toolName) return node.toolName;
  const text = node.content.trimStart();
  const end = text.indexOf('\n');
  const line = end >= 0 ? text.slice(0, end) : text;
  const kind = node.kind.replace('_', ' ');
  return line ? (line.length > 80 ? `${line.slice(0, 79)}…` : line) : kind;
}

/** Maps time to x: [startMs, endMs] onto [x0, x0 + width]. */
export interface TimeView {
  startMs: number;
  endMs: number;
}

export function zoomAround(view: TimeView, centerMs: number, factor: number, minSpanMs = 1): TimeView {
  const span = Math.max(minSpanMs, (view.endMs - view.startMs) * factor);
  const ratio = view.endMs > view.startMs ? (centerMs - view.startMs) / (view.endMs - view.startMs) : 0.5;
  const startMs = centerMs - span * ratio;
  return { startMs, endMs: startMs + span };
}

export function pan(view: TimeView, fraction: number): TimeView {
  const shift = (view.endMs - view.startMs) * fraction;
  return { startMs: view.startMs + shift, endMs: view.endMs + shift };
}

/** Tick step (ms) giving about `target` ticks over the span, on a 1-2-5 scale. */
export function tickStep(spanMs: number, target = 6): number {
  const raw = Math.max(1, spanMs / target);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** The whole session's span, from its top-level nodes and their subtree totals (no full scan). */
export function sessionExtent(
  roots: readonly LogNode[],
  rollupOf: (id: string) => { startMs: number; endMs: number } | undefined,
  nowMs: number,
): TimeView | null {
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const root of roots) {
    const own = nodeSpan(root, nowMs);
    const sub = rollupOf(root.id);
    for (const t of [own.startMs, sub?.startMs ?? NaN]) if (!Number.isNaN(t)) startMs = Math.min(startMs, t);
    for (const t of [own.endMs, sub?.endMs ?? NaN]) if (!Number.isNaN(t)) endMs = Math.max(endMs, t);
  }
  if (!Number.isFinite(startMs)) return null;
  if (!(endMs > startMs)) endMs = startMs + 1000;
  const pad = (endMs - startMs) * 0.02;
  return { startMs: startMs - pad, endMs: endMs + pad };
}

/** The span of the given rows (a subtree's whole span for a parent row), padded; null if none. */
export function rowsExtent(nodes: readonly LogNode[], rollupOf: (id: string) => { startMs: number; endMs: number } | undefined, nowMs: number): TimeView | null {
  return sessionExtent(nodes, rollupOf, nowMs);
}
