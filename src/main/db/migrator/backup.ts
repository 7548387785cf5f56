// Snapshots of a local database taken with VACUUM INTO (a consistent copy even while the file is in
// WAL mode and other connections read it — never fs.copyFile on a live WAL database), kept in a
// `backups/` folder beside the database, newest N kept.

import fs from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { pathToFileURL } from 'node:url';

export const DEFAULT_KEEP_BACKUPS = 5;

export function backupDirFor(dbPath: string): string {
  return path.join(path.dirname(dbPath), 'backups');
}

let counter = 0;
function stamp(): string {
  // Sortable, filesystem-safe, unique within a process even for two backups in one millisecond.
  counter = (counter + 1) % 1000;
  return `${new Date().toISOString().replace(/[-:]/g, '').replace('.', '')}${String(counter).padStart(3, '0')}`;
}

/** Backups of `dbPath` in `dir`, oldest first. */
export function listBackups(dbPath: string, dir = backupDirFor(dbPath)): string[] {
  const prefix = `${path.basename(dbPath)}.`;
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.bak'))
    .sort()
    .map((f) => path.join(dir, f));
}

export interface BackupOptions {
  dir?: string;
  keep?: number;
  /** Short tag in the file name, e.g. `pre-0003`. */
  label?: string;
}

/**
 * Takes a snapshot through `client` (any connection to the database, outside a transaction),
 * checks it with quick_check, then prunes old snapshots. Returns the snapshot's path.
 */
export async function takeBackup(client: Client, dbPath: string, opts: BackupOptions = {}): Promise<string> {
  const dir = opts.dir ?? backupDirFor(dbPath);
  fs.mkdirSync(dir, { recursive: true });
  const label = (opts.label ?? 'manual').replace(/[^A-Za-z0-9_-]/g, '_');
  // The pid keeps two processes that back up in the same millisecond apart.
  const file = path.join(dir, `${path.basename(dbPath)}.${stamp()}-${process.pid}.${label}.bak`);
  await client.execute({ sql: 'VACUUM INTO ?', args: [file] });
  await verifyBackup(file);
  pruneBackups(dbPath, dir, opts.keep ?? DEFAULT_KEEP_BACKUPS);
  return file;
}

/** Refuses a snapshot SQLite itself does not trust. */
export async function verifyBackup(file: string): Promise<void> {
  let c: Client | null = null;
  try {
    c = createClient({ url: pathToFileURL(file).href, intMode: 'number' });
    const rs = await c.execute('PRAGMA quick_check');
    const first = rs.rows[0]?.[0];
    if (first !== 'ok') throw new Error(`backup ${file} failed quick_check: ${String(first)}`);
  } finally {
    c?.close();
  }
}

export function pruneBackups(dbPath: string, dir: string, keep: number): string[] {
  const all = listBackups(dbPath, dir);
  const drop = all.slice(0, Math.max(0, all.length - keep));
  for (const f of drop) fs.rmSync(f, { force: true });
  return drop;
}

/**
 * Puts a snapshot back in place of the database. Every connection to the database must be closed
 * first (the caller's job): the snapshot is a closed, self-contained file, so copying it is safe,
 * and the old -wal/-shm files are removed so SQLite cannot replay stale frames onto it.
 */
export function restoreBackup(backupFile: string, dbPath: string): void {
  const tmp = `${dbPath}.restore-${process.pid}`;
  fs.copyFileSync(backupFile, tmp);
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${dbPath}${suffix}`, { force: true });
  fs.renameSync(tmp, dbPath);
}
