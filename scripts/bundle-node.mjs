// One way to bundle a TypeScript entry for plain Node 20: the CLI, the benchmarks, the perf
// scripts and the child processes of tests. ESM, with dependencies left external so they resolve
// from node_modules at run time, which is why every output must live inside the repository.
import { build } from 'esbuild';

/**
 * @param {string} entry  the TypeScript entry file
 * @param {string} outfile  where the bundle goes (inside the repo)
 * @param {{ sourcemap?: boolean | 'inline' | 'linked', logLevel?: 'silent' | 'error' | 'warning' }} [opts]
 * @returns {Promise<string>} outfile
 */
export async function bundleForNode(entry, outfile, opts = {}) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: opts.sourcemap ?? false,
    logLevel: opts.logLevel ?? 'warning',
  });
  return outfile;
}
