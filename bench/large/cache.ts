// The large history is built once and kept in bench/.cache/ (gitignored), named by a hash of
// what shapes its rows: the generator's sources and its spec (a change makes a new file; older
// ones are removed). Migrations added since it was built are applied to it by Paddock's own
// opener before it is used, as they would be to a user's database.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Driver from 'libsql';
import { locationFromPath } from '../../src/main/db/connection.js';
import { openDatabase } from '../../src/main/db/database.js';
import { buildLargeHistory, type LargeHistory, type LargeSpec } from './generate.js';

/** Ids of the migrations the file records as applied. */
function appliedMigrations(file: string): string[] {
  const db = new Driver(file, { readonly: true });
  try {
    return (db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as Array<{ id: number | string }>).map((r) => String(r.id).padStart(4, '0'));
  } finally {
    db.close();
  }
}

export interface CachedHistory extends LargeHistory {
  file: string;
  /** False when this run built it (history.seconds is then this run's generation time). */
  cached: boolean;
  /** Migrations this run applied to a cached history (ids), and how long opening took with them. */
  migrated: string[];
  migrateMs: number;
}

function cacheKey(root: string, spec: LargeSpec): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify(spec));
  const files = [
    ...['generate.ts', 'texts.ts'].map((f) => path.join(root, 'bench', 'large', f)),
    path.join(root, 'bench', 'lib', 'rng.ts'),
  ];
  for (const f of files) h.update(path.basename(f)).update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** `sub`: a folder of its own inside bench/.cache (a smoke run must never evict the full history). */
export async function cachedHistory(root: string, spec: LargeSpec, log: (s: string) => void, sub = ''): Promise<CachedHistory> {
  const dir = path.join(root, 'bench', '.cache', sub);
  fs.mkdirSync(dir, { recursive: true });
  const key = cacheKey(root, spec);
  const file = path.join(dir, `large-${key}.db`);
  const meta = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(meta)) {
    const before = appliedMigrations(file);
    const t = performance.now();
    const opened = await openDatabase({ location: locationFromPath(file), backup: false });
    await opened.close();
    const migrateMs = performance.now() - t;
    const migrated = appliedMigrations(file).filter((id) => !before.includes(id));
    log(`[bench:large] cached history ${path.relative(root, file)}, brought to the latest migration in ${(migrateMs / 1000).toFixed(1)} s (applied: ${migrated.join(', ') || 'none'})`);
    return { ...(JSON.parse(fs.readFileSync(meta, 'utf8')) as LargeHistory), file, cached: true, migrated, migrateMs };
  }
  for (const f of fs.readdirSync(dir)) if (f.startsWith('large-') && !f.startsWith(`large-${key}`)) fs.rmSync(path.join(dir, f), { force: true });
  log(`[bench:large] building the history (${spec.sessions.toLocaleString('en')} sessions, ~${spec.totalNodes.toLocaleString('en')} nodes) into ${path.relative(root, file)} …`);
  const partial = `${file}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(f, { force: true });
  const history = await buildLargeHistory(partial, spec, log);
  fs.renameSync(partial, file);
  for (const f of [`${partial}-wal`, `${partial}-shm`]) fs.rmSync(f, { force: true });
  fs.writeFileSync(meta, JSON.stringify(history));
  return { ...history, file, cached: false, migrated: [], migrateMs: 0 };
}
