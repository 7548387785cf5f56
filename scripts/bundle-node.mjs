// One way to bundle a TypeScript entry for plain Node 20: the CLI, the benchmarks, the perf
// scripts and the child processes of tests. ESM, with dependencies left external so they resolve
// from node_modules at run time, which is why every output must live inside the repository.
//
// A bundle that contains the log writer's connection also gets its worker thread's entry next
// to it (writer-worker.mjs), where the connection looks for it (src/main/logs/worker-entry.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER_CONNECTION = 'src/main/logs/worker-connection.ts';
const WORKER_ENTRY = path.join(root, 'src', 'main', 'logs', 'writer-worker.ts');
const WORKER_FILE = 'writer-worker.mjs';

/**
 * @param {string} entry  the TypeScript entry file
 * @param {string} outfile  where the bundle goes (inside the repo)
 * @param {{ sourcemap?: boolean | 'inline' | 'linked', logLevel?: 'silent' | 'error' | 'warning' }} [opts]
 * @returns {Promise<string>} outfile
 */
export async function bundleForNode(entry, outfile, opts = {}) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: opts.sourcemap ?? false,
    logLevel: opts.logLevel ?? 'warning',
  };
  const { metafile } = await build({ ...common, entryPoints: [entry], outfile, metafile: true });
  const inputs = Object.keys(metafile.inputs).map((p) => path.relative(root, path.resolve(p)).split(path.sep).join('/'));
  if (inputs.includes(WORKER_CONNECTION)) {
    await build({ ...common, entryPoints: [WORKER_ENTRY], outfile: path.join(path.dirname(outfile), WORKER_FILE) });
  }
  return outfile;
}
