// The bench host: Paddock's real core and browser host (composed exactly as `paddock serve`
// composes them: createPaddockCore + the runtime plugin + startBrowserHost) plus a bench-only
// control channel on stdin/stdout. Through it a benchmark can push a generated agent stream into
// the host's own LogWriter (the same write path a running agent uses, in the same process, so
// its CPU and memory cost land where they would in real use) and read the process's RSS.
// Nothing here is reachable from the browser: the control channel is this process's stdin.
//
// Commands (one JSON object per line): {id, cmd, ...}; answers: @@HOST {id, ...}.
//   prepare {events, seed}          generate a workload and hold it (before a baseline is taken)
//   rss                             process.memoryUsage()
//   feed {sessionId, sampleMs}      push the prepared workload as fast as the loop allows
//                                   (1–16 events per turn); answers with RSS samples taken meanwhile
//   stream-start {sessionId, rate, seed}  push a paced stream (rate events/s) until stream-stop
//   stream-stop                     stop, flush; answers with how many events went in

import readline from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createPaddockCore } from '../src/main/core.js';
import { generateToken } from '../src/main/host/access.js';
import { startBrowserHost, type BrowserHost } from '../src/main/host/browser-host.js';
import { findRendererDir } from '../src/main/host/static-files.js';
import { applier, feed } from './lib/paddock.js';
import { generateWorkload, type Workload } from './lib/workload.js';

export const HOST_PREFIX = '@@HOST ';

function answer(id: unknown, body: Record<string, unknown>): void {
  process.stdout.write(`${HOST_PREFIX}${JSON.stringify({ id, ...body })}\n`);
}

export async function runBenchHost(dataDir: string): Promise<void> {
  let host: BrowserHost | null = null;
  const logger = {
    error: (m: string, e?: unknown) => process.stderr.write(`bench host: ${m} ${e instanceof Error ? e.message : (e ?? '')}\n`),
    warn: (m: string, e?: unknown) => process.stderr.write(`bench host: warning: ${m} ${e instanceof Error ? e.message : (e ?? '')}\n`),
  };
  const core = await createPaddockCore({
    host: 'browser',
    dataDir,
    logger,
    runtime: { isUiAttached: () => (host?.clients() ?? 0) > 0 },
  });
  host = await startBrowserHost({
    host: '127.0.0.1',
    port: 0,
    token: generateToken(),
    dispatch: core.dispatch,
    subscribe: core.subscribe,
    rendererDir: findRendererDir(),
    logger,
  });
  process.stdout.write(`Paddock is running at ${host.url}\n`);

  let prepared: Workload | null = null;
  let stream: { stop: () => Promise<number> } | null = null;
  const writer = core.logWriter;

  const handle = async (msg: Record<string, unknown>): Promise<void> => {
    const id = msg.id;
    switch (msg.cmd) {
      case 'prepare':
        prepared = generateWorkload({ seed: Number(msg.seed ?? 1), events: Number(msg.events), sessions: 1 });
        answer(id, { events: prepared.events.length, nodes: prepared.nodes });
        return;
      case 'rss':
        answer(id, { ...process.memoryUsage() });
        return;
      case 'feed': {
        if (!prepared) throw new Error('feed before prepare');
        const samples: number[] = [];
        const sampler = setInterval(() => samples.push(process.memoryUsage().rss), Number(msg.sampleMs ?? 50));
        const loop = monitorEventLoopDelay({ resolution: 10 });
        loop.enable();
        const t0 = performance.now();
        await feed(writer, [String(msg.sessionId)], prepared.events, 7);
        await writer.flush();
        const ms = performance.now() - t0;
        loop.disable();
        clearInterval(sampler);
        samples.push(process.memoryUsage().rss);
        answer(id, { ms, samples, events: prepared.events.length, loopDelayMaxMs: loop.max / 1e6, writer: writer.stats() });
        return;
      }
      case 'stream-start': {
        const rate = Number(msg.rate);
        const w = generateWorkload({ seed: Number(msg.seed ?? 3), events: rate * 600, sessions: 1 });
        const { apply } = applier(writer, [String(msg.sessionId)]);
        let i = 0;
        const start = performance.now();
        const timer = setInterval(() => {
          const due = Math.min(w.events.length, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
          for (; i < due; i++) apply(w.events[i]!);
        }, 5);
        stream = {
          stop: async () => {
            clearInterval(timer);
            await writer.flush();
            return i;
          },
        };
        answer(id, { started: true });
        return;
      }
      case 'stream-stop': {
        const n = stream ? await stream.stop() : 0;
        stream = null;
        answer(id, { events: n });
        return;
      }
      case 'exit':
        await host?.close();
        await core.close();
        answer(id, { closed: true });
        process.exit(0);
        return;
      default:
        throw new Error(`unknown command ${String(msg.cmd)}`);
    }
  };

  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    handle(msg).catch((e: unknown) => answer(msg.id, { error: e instanceof Error ? e.message : String(e) }));
  });
  rl.on('close', () => {
    void host?.close().then(() => core.close()).then(() => process.exit(0));
  });
}
