#!/usr/bin/env node
// `npm run bench:large` entry: bundles bench/large/main.ts (and the app sources it imports) into
// bench/.tmp/ and runs it. `--smoke`: a tiny history, results to bench/.tmp/ only.
// `--report`: RESULTS.md's section again from bench/large/results.json (after editing analysis.md).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '../../scripts/bundle-node.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const args = process.argv.slice(2);
const entry = args.includes('--report') ? 'report-cli.ts' : 'main.ts';
const out = await bundleForNode(path.join(here, entry), path.join(root, 'bench', '.tmp', `large-${path.basename(entry, '.ts')}.mjs`), { sourcemap: 'inline' });
if (!fs.existsSync(path.join(root, 'dist', 'cli.mjs')) && entry === 'main.ts') {
  console.error('bench:large needs the built app: run `npm run build` first (npm run bench:large does).');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--enable-source-maps', out, ...args], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
