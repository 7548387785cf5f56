// Where the log writer's worker file is, for `new Worker(…)`.
//
// Bundled (dist/cli.mjs, out/main/index.js, the bench and test-child bundles), this module's code
// sits in the bundle and the bundler emitted the worker next to it (scripts/bundle-node.mjs,
// electron.vite.config.ts). Run from source — vitest runs the .ts files directly, and Node 20
// cannot start a TypeScript worker — the worker is bundled with esbuild (a devDependency, loaded
// only on this path) on first use, into node_modules/.cache so any package it imports resolves
// as in the repository. The .ts check keeps that path out of every bundled run.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';
import { unpackedPath } from '../unpacked-path.js';
import { WRITER_WORKER_FILE } from './worker-protocol.js';

let fromSource: string | null = null;

export function writerWorkerFile(): string {
  const self = fileURLToPath(import.meta.url);
  const here = path.dirname(self);
  // Packaged, the worker runs from the unpacked copy beside app.asar (see unpacked-path.ts).
  if (!self.endsWith('.ts')) return unpackedPath(path.join(here, WRITER_WORKER_FILE));
  fromSource ??= bundleFromSource(here);
  return fromSource;
}

function bundleFromSource(here: string): string {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [path.join(here, 'writer-worker.ts')],
    write: false,
    outfile: WRITER_WORKER_FILE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  const code = outputFiles[0]!.text;
  // Named by content: test files run in parallel processes (and are not always let exit
  // cleanly), so each build is written once, atomically, and reused, never removed under a peer.
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = path.resolve(here, '../../../node_modules/.cache/paddock-writer-worker');
  const file = path.join(dir, `writer-worker-${hash}.mjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, file);
  }
  return file;
}
