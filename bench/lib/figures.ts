// The shape every benchmark reports and run.mjs turns into the table, results.json and
// RESULTS.md. A figure is a summary of samples plus, where issue 5 sets one, its target.

import { round, summarize } from './stats.js';

export interface Target {
  op: '>=' | '<=';
  value: number;
}

export interface Figure {
  /** Stable id, e.g. "ingest.vs_raw". */
  id: string;
  /** Benchmark number and name from issue 5, e.g. "1 Ingest". */
  group: string;
  label: string;
  unit: string;
  n: number;
  min: number;
  median: number;
  max: number;
  /** Extra percentiles where the figure is a latency distribution. */
  p50?: number;
  p99?: number;
  p95?: number;
  target?: Target;
  /** Whether the median (or, for max-type targets, the stated statistic) meets the target. */
  pass?: boolean;
  /** Which statistic the target applies to. */
  judgedOn?: 'median' | 'max' | 'p95' | 'p99';
  /** One sentence: what this means for a user. */
  meaning: string;
  /** Free-form context (absolute times next to a ratio, sizes...). */
  note?: string;
}

export function figure(
  base: Omit<Figure, 'n' | 'min' | 'median' | 'max' | 'pass'>,
  samples: readonly number[],
  opts: { percentiles?: boolean } = {},
): Figure {
  const s = summarize(samples);
  const f: Figure = { ...base, n: s.n, min: round(s.min), median: round(s.median), max: round(s.max) };
  if (opts.percentiles) {
    f.p50 = round(s.median);
    f.p95 = round(s.p95);
    f.p99 = round(s.p99);
  }
  if (base.target) {
    const on = base.judgedOn ?? 'median';
    const v = on === 'max' ? s.max : on === 'p95' ? s.p95 : on === 'p99' ? s.p99 : s.median;
    f.pass = Number.isFinite(v) ? (base.target.op === '>=' ? v >= base.target.value : v <= base.target.value) : false;
  }
  return f;
}

/** What a sub-benchmark process prints (one line) for run.mjs to collect. */
export const RESULT_PREFIX = '@@BENCH_RESULT ';

export interface BenchOutput {
  name: string;
  figures: Figure[];
  /** Anything else worth keeping in results.json (workload shape, digests, engine versions). */
  context: Record<string, unknown>;
}

export function emit(out: BenchOutput): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(out)}\n`);
}
