#!/usr/bin/env node
// Runs one of the log store's measurement scripts (ingest.ts, import-sql.ts here, or
// bench/session-io.ts, which drives the whole app and so lives outside the data layer) on plain Node:
// bundles it with esbuild into node_modules/.paddock-perf/ (so packages resolve from
// node_modules) and runs it, passing Node flags through.
//   node src/main/logs/perf/run.mjs ingest [--cpu-prof] [-- script args]
//   node src/main/logs/perf/run.mjs session-io [--cpu-prof] [-- --nodes 100000]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '../../../../scripts/bundle-node.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');
const [name, ...rest] = process.argv.slice(2);
const script = [here, path.join(root, 'bench')].map((dir) => path.join(dir, `${name}.ts`)).find((f) => name && fs.existsSync(f));
if (!script) {
  console.error('usage: node src/main/logs/perf/run.mjs <ingest|import-sql|session-io> [node flags] [-- script args]');
  process.exit(2);
}
const dash = rest.indexOf('--');
const nodeFlags = dash >= 0 ? rest.slice(0, dash) : rest;
const scriptArgs = dash >= 0 ? rest.slice(dash + 1) : [];
const outDir = path.join(root, 'node_modules', '.paddock-perf');
fs.mkdirSync(outDir, { recursive: true });
// Named after the checkout too, so a copy of the tree (a baseline) never overwrites this one's.
const tag = createHash('sha256').update(root).digest('hex').slice(0, 8);
const outfile = path.join(outDir, `${name}-${tag}.mjs`);
await bundleForNode(script, outfile, { sourcemap: 'inline' });
const r = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', ...nodeFlags, outfile, ...scriptArgs], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
