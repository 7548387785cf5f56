// Summary statistics for a list of samples. Every figure the benchmarks report carries its
// sample count and min / median / max, so a reader can judge how noisy it was.

export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
  mean: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentile of sorted samples (q in [0, 1]). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { n: 0, min: NaN, median: NaN, max: NaN, mean: NaN, p95: NaN, p99: NaN };
  const median = n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return {
    n,
    min: s[0]!,
    median,
    max: s[n - 1]!,
    mean: s.reduce((a, b) => a + b, 0) / n,
    p95: percentile(s, 0.95),
    p99: percentile(s, 0.99),
  };
}

/** Rounds for display / JSON without losing the order of magnitude. */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x);
  const p = 10 ** Math.max(0, digits - Math.max(0, Math.floor(Math.log10(abs || 1)) + 1));
  return Math.round(x * p) / p;
}
