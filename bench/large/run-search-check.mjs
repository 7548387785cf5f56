#!/usr/bin/env node
// Bundles and runs bench/large/search-check.ts (search figures only, on the cached history).
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '../../scripts/bundle-node.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = await bundleForNode(path.join(here, 'search-check.ts'), path.join(here, '..', '.tmp', 'large-search-check.mjs'), { sourcemap: 'inline' });
const r = spawnSync(process.execPath, ['--enable-source-maps', out], { stdio: 'inherit' });
process.exit(r.status ?? 1);
