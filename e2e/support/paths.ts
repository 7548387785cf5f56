// Where the built artefacts live; every e2e helper resolves paths from the repository root so
// the suite works whatever the current directory of the runner is.
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export const paths = {
  cliEntry: join(repoRoot, 'bin', 'paddock.mjs'),
  cliBundle: join(repoRoot, 'dist', 'cli.mjs'),
  rendererIndex: join(repoRoot, 'out', 'renderer', 'index.html'),
  electronMain: join(repoRoot, 'out', 'main', 'index.js'),
  screenshots: join(repoRoot, 'docs', 'screenshots'),
} as const;
