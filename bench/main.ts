// Entry of the bundled benchmarks (bench/.tmp/main.mjs, built by run.mjs). Each benchmark runs
// in its own process, so one's heap, JIT state and open files never colour another's figures.
//   node bench/.tmp/main.mjs <benchmark> [--smoke]
// prints one RESULT_PREFIX line of JSON (see lib/figures.ts).

import { fileURLToPath } from 'node:url';
import { emit } from './lib/figures.js';
import { machineInfo } from './lib/machine.js';
import path from 'node:path';
import { runBrowser } from './browser.js';
import { runBenchHost } from './host.js';
import { profileBrowser } from './profileBrowser.js';
import { runIngest } from './ingest.js';
import { runInterchange } from './interchange.js';
import { runMemory } from './memory.js';
import { runStartup, startupOnce } from './startup.js';
import { runTraceViews } from './traceViews.js';
import { runSelfCheck, selfCheckOnce } from './selfcheck.js';

const self = fileURLToPath(import.meta.url);

/** `--name N` from a benchmark's arguments, else `fallback`. */
function numArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  return Number.isFinite(v) ? v : fallback;
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const smoke = rest.includes('--smoke');
  switch (name) {
    case 'machine':
      process.stdout.write(`${JSON.stringify(await machineInfo())}\n`);
      return;
    case 'startup-once':
      await startupOnce(rest[0]!);
      return;
    case 'startup':
      emit(await runStartup(smoke ? { samples: 1, nodes: 200 } : { samples: 9, nodes: 20_000 }, self));
      return;
    case 'selfcheck-once':
      await selfCheckOnce(rest[0]!);
      return;
    case 'selfcheck':
      emit(await runSelfCheck(smoke ? { samples: 1, megabytes: 2 } : { samples: 9, megabytes: 600 }, self));
      return;
    case 'ingest':
      emit(
        await runIngest(
          smoke
            ? { events: 800, reps: 1, seed: 42, sessions: 2, pacedSeconds: 0.3, pacedRate: 400, asShippedLimit: 0 }
            : { events: 30_000, reps: 3, seed: 42, sessions: 2, pacedSeconds: 5, pacedRate: 800, asShippedLimit: 1_500 },
        ),
      );
      return;
    case 'interchange':
      emit(await runInterchange(smoke ? { turns: 50, reps: 1, bigBytes: 2 * 1024 * 1024 } : { turns: numArg(rest, '--turns', 5_264), reps: numArg(rest, '--reps', 2), bigBytes: numArg(rest, '--big-mb', 1024) * 1024 * 1024 }));
      return;
    case 'host':
      await runBenchHost(rest[0]!);
      return;
    case 'memory':
      emit(await runMemory(smoke ? { events: 3_000, restMs: 200, afterMs: 200 } : { events: 100_000, restMs: 1_000, afterMs: 2_000 }, self));
      return;
    case 'browser':
      emit(
        await runBrowser(
          smoke
            ? { smallNodes: 300, bigNodes: 2_000, smallSamples: 2, bigSamples: 2, scrollMs: 1_000, streamRate: 200, streamScrollMs: 1_000 }
            : { smallNodes: 2_000, bigNodes: 100_000, smallSamples: 9, bigSamples: 7, scrollMs: 10_000, streamRate: 200, streamScrollMs: 8_000 },
          self,
          path.resolve(path.dirname(self), '..', '..'),
        ),
      );
      return;
    case 'trace':
      emit(await runTraceViews(smoke ? { nodes: 2_000, samples: 1, holdMs: 1_000 } : { nodes: 100_000, samples: 3, holdMs: 3_000 }, self, path.resolve(path.dirname(self), '..', '..')));
      return;
    case 'profile-browser':
      await profileBrowser(self, path.resolve(path.dirname(self), '..', '..'), Number(rest[0] ?? 100_000));
      return;
    default:
      throw new Error(`unknown benchmark: ${name ?? '(none)'}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
