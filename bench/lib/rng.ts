// A small seeded PRNG (mulberry32): every run of a benchmark sees the very same workload, so
// figures from two runs (or two write patterns in one run) are about the same bytes.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Log-uniform integer in [min, max]: sizes spread over orders of magnitude, small ones common. */
  logInt(min: number, max: number): number {
    const lo = Math.log(min);
    const hi = Math.log(max);
    return Math.min(max, Math.max(min, Math.round(Math.exp(lo + this.next() * (hi - lo)))));
  }
}
