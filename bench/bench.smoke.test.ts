// Smoke run of every non-browser benchmark at a tiny size, through the real entry (bench/run.mjs
// bundles and runs each in its own process): the harness works, each write pattern leaves the
// same rows as Paddock (the ingest benchmark fails otherwise), and every figure is sane.
// No speed is asserted here: figures are only checked for being real numbers in a real order.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BenchOutput, Figure } from './lib/figures';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Results {
  smoke: boolean;
  machine: Record<string, unknown>;
  benchmarks: (BenchOutput & { seconds: number })[];
  failures: { name: string; why: string; stderr: string }[];
}

function byId(results: Results): Map<string, Figure> {
  return new Map(results.benchmarks.flatMap((b) => b.figures).map((f) => [f.id, f]));
}

describe('benchmarks (smoke run)', () => {
  it('runs ingest, memory and start-up at tiny sizes and reports sane figures', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-bench-smoke-')), 'results.json');
    try {
      execFileSync(process.execPath, [path.join(here, 'run.mjs'), '--smoke', '--out', out], { cwd: path.resolve(here, '..'), stdio: 'pipe', timeout: 120_000 });
    } catch (e) {
      const err = e as { stderr?: Buffer; stdout?: Buffer };
      throw new Error(`bench smoke run failed:\n${err.stderr?.toString() ?? ''}\n${err.stdout?.toString() ?? ''}`.slice(0, 6000));
    }
    const results = JSON.parse(fs.readFileSync(out, 'utf8')) as Results;
    fs.rmSync(path.dirname(out), { recursive: true, force: true });

    expect(results.failures).toEqual([]);
    expect(results.smoke).toBe(true);
    expect(results.benchmarks.map((b) => b.name).sort()).toEqual(['ingest', 'interchange', 'memory', 'selfcheck', 'startup']);
    expect(results.machine.node).toBe(process.version);
    expect(results.machine.sqlite).toMatch(/^3\.\d+\.\d+$/);

    for (const f of results.benchmarks.flatMap((b) => b.figures)) {
      expect(f.n, f.id).toBeGreaterThan(0);
      for (const v of [f.min, f.median, f.max]) expect(Number.isFinite(v), `${f.id}: ${v}`).toBe(true);
      expect(f.min, f.id).toBeLessThanOrEqual(f.median);
      expect(f.median, f.id).toBeLessThanOrEqual(f.max);
      expect(f.meaning.length, f.id).toBeGreaterThan(20);
      if (f.target) expect(typeof f.pass, f.id).toBe('boolean');
    }

    const figs = byId(results);
    // Throughputs and ratios are positive; the raw engine limit cannot be slower than one
    // autocommit per row (seed 002) on the same rows, or the "limit" would be no limit.
    for (const id of ['ingest.paddock_events_per_s', 'ingest.raw_events_per_s', 'ingest.paddock_vs_raw', 'ingest.paddock_vs_seed004', 'ingest.paddock_vs_seed002', 'ingest.db_bytes_per_1k_events']) {
      expect(figs.get(id)?.median, id).toBeGreaterThan(0);
    }
    const paddockVsRaw = figs.get('ingest.paddock_vs_raw')!.median;
    const paddockVsSeed002 = figs.get('ingest.paddock_vs_seed002')!.median;
    expect(paddockVsRaw).toBeLessThan(paddockVsSeed002);
    // Every event of the run has a durability sample, and none was committed before it was accepted.
    const ingest = results.benchmarks.find((b) => b.name === 'ingest')!;
    const workload = ingest.context.workload as { events: number };
    const saturated = figs.get('durability.saturated')!;
    expect(saturated.n).toBe(workload.events);
    expect(saturated.min).toBeGreaterThanOrEqual(0);
    expect(saturated.p99).toBeGreaterThanOrEqual(saturated.p50!);
    // The log holds every node that was streamed.
    expect((ingest.context.rows as { nodes: number }).nodes).toBe((ingest.context.workload as { nodes: number }).nodes);

    expect(figs.get('startup.open_up_to_date')!.median).toBeGreaterThan(0);
    expect(figs.get('startup.empty_to_latest')!.median).toBeGreaterThan(0);
    const memory = figs.get('memory.rss_growth_peak')!;
    expect(memory.n).toBeGreaterThan(0);
    expect((results.benchmarks.find((b) => b.name === 'memory')!.context as { eventsReceived: number }).eventsReceived).toBeGreaterThan(0);
    for (const id of ['interchange.export.paddock', 'interchange.export.raw', 'interchange.import.paddock', 'interchange.import.raw', 'interchange.import.vs_raw', 'interchange.import.big_extra_rss']) {
      expect(figs.get(id)?.n, id).toBeGreaterThan(0);
    }
  }, 120_000);
});
