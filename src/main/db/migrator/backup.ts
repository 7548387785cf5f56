// Snapshots of a local database taken with VACUUM INTO (a consistent copy even while the file is in
// WAL mode and other connections read it — never fs.copyFile on a live WAL database), kept in a
// `backups/` folder beside the database.
//
// A snapshot is written under a temporary name (`….bak.tmp`), checked with quick_check, synced
// and only then renamed to its `.bak` name, so a process killed mid-backup leaves a `.tmp` that
// never counts as a backup (and is removed by the next backup or start-up), not a valid-looking
// partial `.bak`. Two kinds share the folder, told apart by name:
//   automatic  paddock.db.<stamp>-<pid>.pre-up-0003.bak   (before migrating; newest N kept)
//   manual     paddock.db.<stamp>-<pid>.manual.bak        (`paddock db backup`; never pruned)

import fs from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { pathToFileURL } from 'node:url';
import { scalar, strOrNull } from '../rows.js';

export const DEFAULT_KEEP_BACKUPS = 5;
export type BackupKind = 'auto' | 'manual';

const STAMP = String.raw`\d{8}T\d{9}Z\d{3}`;
const TMP_SUFFIX = '.tmp';

export function backupDirFor(dbPath: string): string {
  return path.join(path.dirname(dbPath), 'backups');
}

let counter = 0;
function stamp(): string {
  // Sortable, filesystem-safe, unique within a process even for two backups in one millisecond.
  counter = (counter + 1) % 1000;
  return `${new Date().toISOString().replace(/[-:]/g, '').replace('.', '')}${String(counter).padStart(3, '0')}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `[kind, pid]` of a finished backup's file name, or null for anything else (temp files included). */
function parseBackupName(dbPath: string, file: string): { kind: BackupKind; pid: number } | null {
  const m = new RegExp(`^${escapeRe(path.basename(dbPath))}\\.${STAMP}-(\\d+)\\.([A-Za-z0-9_-]+)\\.bak$`).exec(file);
  if (!m) return null;
  return { kind: m[2] === 'manual' ? 'manual' : 'auto', pid: Number(m[1]) };
}

/**
 * Finished (verified) backups of `dbPath` in `dir`, oldest first: automatic ones, manual ones, or
 * both (default). Temp files of a backup in progress or killed midway are never listed.
 */
export function listBackups(dbPath: string, dir = backupDirFor(dbPath), kind: BackupKind | 'all' = 'all'): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => {
      const parsed = parseBackupName(dbPath, f);
      return parsed !== null && (kind === 'all' || parsed.kind === kind);
    })
    .sort()
    .map((f) => path.join(dir, f));
}

export interface BackupOptions {
  dir?: string;
  /** How many automatic backups to keep (manual ones are never pruned). */
  keep?: number;
  /** Short tag in the file name, e.g. `pre-up-0003`; `manual` makes a manual backup. */
  label?: string;
}

/** Temp paths this process is writing right now (never cleaned as leftovers). */
const inProgress = new Set<string>();

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, belongs to someone else
  }
}

/**
 * Removes what killed backups left: `<name>.bak.tmp` and its -journal/-wal/-shm, when the process
 * that wrote it is gone (a live one may still be writing it). Returns the removed paths.
 */
export function cleanBackupLeftovers(dbPath: string, dir = backupDirFor(dbPath)): string[] {
  if (!fs.existsSync(dir)) return [];
  const re = new RegExp(`^(${escapeRe(path.basename(dbPath))}\\.${STAMP}-(\\d+)\\.[A-Za-z0-9_-]+\\.bak)\\.tmp(?:-journal|-wal|-shm)?$`);
  const removed: string[] = [];
  for (const f of fs.readdirSync(dir)) {
    const m = re.exec(f);
    if (!m) continue;
    const tmp = path.join(dir, `${m[1]}${TMP_SUFFIX}`);
    if (inProgress.has(tmp) || (Number(m[2]) !== process.pid && isAlive(Number(m[2])))) continue;
    try {
      fs.rmSync(path.join(dir, f), { force: true });
      removed.push(path.join(dir, f));
    } catch {
      // Best effort: a leftover never counts as a backup, so one we cannot remove does no harm.
    }
  }
  return removed;
}

function removeTemp(tmp: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(`${tmp}${suffix}`, { force: true });
}

function fsyncPath(p: string, flags: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(p, flags);
    fs.fsyncSync(fd);
  } catch {
    // Directories cannot be opened or synced on every platform (Windows); the rename still happened.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * Test hook (tests only): PADDOCK_TEST_BACKUP_PAUSE=after-copy makes the backup announce its temp
 * file on stderr and wait forever between the copy and the check, so a test can kill it there.
 */
async function testPause(step: string, tmp: string): Promise<void> {
  if (process.env.PADDOCK_TEST_BACKUP_PAUSE !== step) return;
  process.stderr.write(`PADDOCK_TEST_BACKUP_PAUSED ${tmp}\n`);
  await new Promise(() => setInterval(() => undefined, 1 << 30));
}

/**
 * Takes a snapshot through `client` (any connection to the database, outside a transaction):
 * copy to a temp name, quick_check it, sync, rename into place, then prune old automatic backups.
 * Returns the snapshot's path.
 */
export async function takeBackup(client: Client, dbPath: string, opts: BackupOptions = {}): Promise<string> {
  const dir = opts.dir ?? backupDirFor(dbPath);
  fs.mkdirSync(dir, { recursive: true });
  cleanBackupLeftovers(dbPath, dir);
  const label = (opts.label ?? 'manual').replace(/[^A-Za-z0-9_-]/g, '_');
  // The pid keeps two processes that back up in the same millisecond apart.
  const file = path.join(dir, `${path.basename(dbPath)}.${stamp()}-${process.pid}.${label}.bak`);
  const tmp = `${file}${TMP_SUFFIX}`;
  inProgress.add(tmp);
  try {
    await client.execute({ sql: 'VACUUM INTO ?', args: [tmp] });
    await testPause('after-copy', tmp);
    await verifyBackup(tmp);
    fsyncPath(tmp, 'r+');
    fs.renameSync(tmp, file);
    fsyncPath(dir, 'r');
  } catch (e) {
    removeTemp(tmp);
    throw e;
  } finally {
    inProgress.delete(tmp);
  }
  if (label !== 'manual') pruneBackups(dbPath, dir, opts.keep ?? DEFAULT_KEEP_BACKUPS);
  return file;
}

/** Refuses a snapshot SQLite itself does not trust. */
export async function verifyBackup(file: string): Promise<void> {
  let c: Client | null = null;
  try {
    c = createClient({ url: pathToFileURL(file).href, intMode: 'number' });
    const rs = await c.execute('PRAGMA quick_check');
    const first = scalar(rs, strOrNull, 0, null);
    if (first !== 'ok') throw new Error(`backup ${file} failed quick_check: ${String(first)}`);
  } finally {
    c?.close();
  }
}

/** Deletes all but the newest `keep` automatic backups; manual ones and temp files are not touched. */
export function pruneBackups(dbPath: string, dir: string, keep: number): string[] {
  const all = listBackups(dbPath, dir, 'auto');
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
