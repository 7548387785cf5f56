#!/usr/bin/env node
// Bundles the `paddock` command line (src/main/cli/index.ts) into dist/cli.mjs for plain Node 20.
// Dependencies stay external (resolved from node_modules at run time); the migrations and
// package.json's version are bundled in. `--outfile FILE` builds elsewhere (used by tests).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from './bundle-node.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--outfile');
const outfile = i > 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : path.join(root, 'dist', 'cli.mjs');

await bundleForNode(path.join(root, 'src', 'main', 'cli', 'index.ts'), outfile, { sourcemap: 'linked' });
console.log(`built ${path.relative(root, outfile)}`);
