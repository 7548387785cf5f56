// Two runs side by side, step by step. A step is a log node in tree order; steps are matched by
// what they are (kind, tool name), with jsdiff's sequence diff finding the longest common run,
// so an extra tool call in one run shifts nothing after it. Matched steps are diffed on their
// text, arguments and results, and their tokens, cost and duration compared.
import { diffArrays, diffJson, diffWords, type ChangeObject } from 'diff';
import type { JsonValue, LogNode } from '../../../shared/domain';
import { totalTokens } from '../../../shared/usage';

export interface StepFigures {
  tokens: number;
  costUsd: number;
  durationMs: number;
}

export interface Step {
  a: LogNode | null;
  b: LogNode | null;
  /** The two steps differ in text, arguments or result (always true for a one-sided step). */
  changed: boolean;
  text: ChangeObject<string>[] | null;
  args: ChangeObject<string>[] | null;
  result: ChangeObject<string>[] | null;
  delta: StepFigures;
}

export interface Comparison {
  steps: Step[];
  totalA: StepFigures;
  totalB: StepFigures;
  changedSteps: number;
}

function stepKey(n: LogNode): string {
  return `${n.kind}:${n.toolName ?? ''}`;
}

export function figures(n: LogNode | null): StepFigures {
  if (!n) return { tokens: 0, costUsd: 0, durationMs: 0 };
  let durationMs = n.durationMs ?? 0;
  if (n.durationMs === null && n.endedAt) durationMs = Math.max(0, Date.parse(n.endedAt) - Date.parse(n.startedAt)) || 0;
  return { tokens: totalTokens(n), costUsd: n.costUsd, durationMs };
}

function same(changes: ChangeObject<string>[] | null): boolean {
  return !changes || changes.every((c) => !c.added && !c.removed);
}

function diffValue(a: JsonValue | null, b: JsonValue | null): ChangeObject<string>[] | null {
  if (a === null && b === null) return null;
  return diffJson((a ?? {}) as object, (b ?? {}) as object);
}

export function pairStep(a: LogNode | null, b: LogNode | null): Step {
  const fa = figures(a);
  const fb = figures(b);
  const text = a && b ? (a.content || b.content ? diffWords(a.content, b.content) : null) : null;
  const args = a && b ? diffValue(a.toolArgs, b.toolArgs) : null;
  const result = a && b ? diffValue(a.toolResult, b.toolResult) : null;
  return {
    a,
    b,
    changed: !a || !b || !same(text) || !same(args) || !same(result),
    text,
    args,
    result,
    delta: { tokens: fb.tokens - fa.tokens, costUsd: fb.costUsd - fa.costUsd, durationMs: fb.durationMs - fa.durationMs },
  };
}

function sum(nodes: readonly LogNode[]): StepFigures {
  const out = { tokens: 0, costUsd: 0, durationMs: 0 };
  for (const n of nodes) {
    const f = figures(n);
    out.tokens += f.tokens;
    out.costUsd += f.costUsd;
    // Only top-level entries count toward wall time: children run inside their parent's span.
    if (n.parentId === null) out.durationMs += f.durationMs;
  }
  return out;
}

/** Both runs' nodes in tree order. */
export function compareRuns(a: readonly LogNode[], b: readonly LogNode[]): Comparison {
  const parts = diffArrays(a.map(stepKey), b.map(stepKey));
  const steps: Step[] = [];
  let ia = 0;
  let ib = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const n = part.count ?? part.value.length;
    if (!part.added && !part.removed) {
      for (let k = 0; k < n; k++) steps.push(pairStep(a[ia++]!, b[ib++]!));
    } else if (part.removed) {
      for (let k = 0; k < n; k++) steps.push(pairStep(a[ia++]!, null));
    } else {
      for (let k = 0; k < n; k++) steps.push(pairStep(null, b[ib++]!));
    }
  }
  return { steps, totalA: sum(a), totalB: sum(b), changedSteps: steps.filter((s) => s.changed).length };
}
