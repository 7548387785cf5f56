// Benchmark 6: memory. The host process (real core + browser host, bench/host.ts) with a
// connected client receiving the live log events, as a UI window would. 100,000 generated events
// stream through the host's LogWriter as fast as its event loop allows; RSS is sampled every
// 50 ms inside the host. Growth = peak RSS while streaming − RSS at rest before it (the
// workload is generated and held before the baseline, so only Paddock's own cost is counted).

import fs from 'node:fs';
import { createSession } from './lib/api.js';
import { tempDir } from './lib/db.js';
import { figure, type BenchOutput } from './lib/figures.js';
import { HostProcess } from './lib/hostProcess.js';
import { summarize } from './lib/stats.js';
import { ContractClient } from './lib/wsClient.js';

export interface MemoryOptions {
  events: number;
  /** Rest before the baseline and after the stream (ms). */
  restMs: number;
  afterMs: number;
}

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runMemory(opts: MemoryOptions, script: string): Promise<BenchOutput> {
  const dataDir = tempDir();
  const host = await HostProcess.start(script, dataDir);
  let api: ContractClient | null = null;
  try {
    api = await ContractClient.connect(host.link);
    const session = await createSession(api, 'memory benchmark');
    const prep = await host.send('prepare', { events: opts.events, seed: 6 });
    // Rest: RSS sampled over a second once start-up work has settled.
    await sleep(opts.restMs);
    const rest: number[] = [];
    for (let i = 0; i < 10; i++) {
      rest.push(Number((await host.send('rss')).rss));
      await sleep(opts.restMs / 10);
    }
    const baseline = summarize(rest).median;
    const fed = await host.send('feed', { sessionId: session.id, sampleMs: 50 });
    const samples = (fed.samples as number[]) ?? [];
    await sleep(opts.afterMs);
    const after = Number((await host.send('rss')).rss);
    const growth = samples.map((s) => (s - baseline) / MB);
    const peak = Math.max(...growth);
    const eventsPerSecond = (Number(fed.events) / Number(fed.ms)) * 1000;
    return {
      name: 'memory',
      figures: [
        figure({ id: 'memory.rss_growth_peak', group: '6 Memory', label: `host RSS growth, ${Number(prep.events).toLocaleString('en')} events streaming`, unit: 'MB',
          target: { op: '<=', value: 50 }, judgedOn: 'max',
          meaning: 'Extra memory the Paddock process needed while a 100,000-event agent stream went through it and out to a connected window.',
          note: `baseline ${(baseline / MB).toFixed(0)} MB, peak +${peak.toFixed(1)} MB, ${opts.afterMs / 1000} s after the stream +${((after - baseline) / MB).toFixed(1)} MB; ${samples.length} samples every 50 ms over ${(Number(fed.ms) / 1000).toFixed(1)} s (${Math.round(eventsPerSecond).toLocaleString('en')} events/s); a client received ${api.eventsReceived.toLocaleString('en')} live events` },
          growth),
      ],
      context: { baselineRss: baseline, afterRss: after, feed: { ms: fed.ms, loopDelayMaxMs: fed.loopDelayMaxMs, writer: fed.writer }, eventsReceived: api.eventsReceived, eventBytes: api.eventBytes },
    };
  } finally {
    api?.close();
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
