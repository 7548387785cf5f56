// Where migration files come from: the folder given to the CLI (--migrations-dir), or the copy
// bundled into the build (bundledMigrations.generated.ts) so the packaged app needs no files.

import fs from 'node:fs';
import path from 'node:path';
import type { MigrationSource } from './types.js';

/** Reads every `*.sql` file of a folder, sorted by name. Other files (README.md) are ignored. */
export function readMigrationsDir(dir: string): MigrationSource[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.sql'))
    .map((e) => e.name)
    .sort()
    .map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
}
