// Backups in the app (docs/storage.md): list the backups folder, back up now, verify a backup
// (open it and run integrity_check), look inside one read-only, and restore one. A restore first
// backs up the current state, then is staged: the file is swapped at the next start, before any
// connection or the log writer's worker opens the database (applyPendingRestore, called by the
// core), so nothing can be writing to it during the swap; the state at that moment is backed up
// again first, so what was written between choosing the restore and restarting is kept too.
//
// API keys are never in a backup: they live in the machine's key store (Electron safeStorage, or
// the 0600 key file beside the database), not in the database. A backup restored on the same
// machine finds them again (providers keep their ids); on another machine they must be entered again.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { PaddockError, type BackupContents, type BackupInfo } from '../../shared/ipc';
import { APP_VERSION } from '../appVersion';
import { backupDirFor, listBackups, restoreBackup, takeBackup } from '../db/migrator/backup';
import { readBackupContents } from '../repositories/backup-contents';

const STAMP_RE = /\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\d{3}-\d+\.([A-Za-z0-9_-]+)\.bak$/;

interface Sidecar {
  appVersion?: string;
  verified?: 'ok' | 'failed';
}

function kindOf(label: string): BackupInfo['kind'] {
  if (label === 'manual') return 'manual';
  if (label === 'daily') return 'daily';
  if (label === 'pre-restore') return 'pre-restore';
  if (label.startsWith('pre-up')) return 'pre-migration';
  return 'other';
}

function sidecarPath(file: string): string {
  return `${file}.json`;
}

function readSidecar(file: string): Sidecar {
  try {
    return JSON.parse(fs.readFileSync(sidecarPath(file), 'utf8')) as Sidecar;
  } catch {
    return {};
  }
}

function writeSidecar(file: string, patch: Sidecar): void {
  fs.writeFileSync(sidecarPath(file), JSON.stringify({ ...readSidecar(file), ...patch }));
}

/** Reads go through 'read' batches (read-only transactions), so the backup is never written. */
function openBackup(file: string): Client {
  return createClient({ url: pathToFileURL(file).href, intMode: 'number' });
}

/** The marker a staged restore leaves beside the database: the backup to put in place at next start. */
export function pendingRestorePath(dbPath: string): string {
  return `${dbPath}.restore-pending`;
}

/**
 * Run before the database is opened: puts a staged backup in place of the database (and removes
 * the stale -wal/-shm). What the database holds at that moment — everything written since the
 * restore was chosen included — is first kept in a 'pre-restore' backup, so a restore never
 * loses data. Returns the backup restored, or null when none was staged.
 */
export async function applyPendingRestore(dbPath: string): Promise<string | null> {
  const marker = pendingRestorePath(dbPath);
  if (!fs.existsSync(marker)) return null;
  const backup = fs.readFileSync(marker, 'utf8').trim();
  if (backup && fs.existsSync(backup)) {
    if (fs.existsSync(dbPath)) await keepCurrentState(dbPath);
    restoreBackup(backup, dbPath);
  }
  fs.rmSync(marker, { force: true });
  return backup || null;
}

/**
 * A 'pre-restore' backup of the database as it is now. A file too damaged to back up (the usual
 * reason to restore) is moved aside whole, with its WAL, instead of being overwritten.
 */
async function keepCurrentState(dbPath: string): Promise<void> {
  const dir = backupDirFor(dbPath);
  const current = openBackup(dbPath);
  try {
    const file = await takeBackup(current, dbPath, { dir, label: 'pre-restore', keep: 7 });
    writeSidecar(file, { appVersion: APP_VERSION });
    return;
  } catch {
    // Falls through to the raw copy below.
  } finally {
    current.close();
  }
  const aside = path.join(dir, `${path.basename(dbPath)}.${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.unreadable`);
  fs.mkdirSync(dir, { recursive: true });
  for (const suffix of ['', '-wal']) {
    if (fs.existsSync(`${dbPath}${suffix}`)) fs.renameSync(`${dbPath}${suffix}`, `${aside}${suffix}`);
  }
}

export class BackupsService {
  readonly #client: Client;
  readonly #dbPath: string;
  readonly #dir: string;

  constructor(client: Client, dbPath: string) {
    this.#client = client;
    this.#dbPath = dbPath;
    this.#dir = backupDirFor(dbPath);
  }

  get dir(): string {
    return this.#dir;
  }

  /** Newest first. */
  list(): BackupInfo[] {
    const files = listBackups(this.#dbPath, this.#dir).reverse();
    this.#dropStaleSidecars(files);
    return files.map((f) => this.#info(f));
  }

  async backupNow(label: 'manual' | 'daily' | 'pre-restore' = 'manual'): Promise<BackupInfo> {
    const file = await takeBackup(this.#client, this.#dbPath, { dir: this.#dir, label, keep: 7 });
    writeSidecar(file, { appVersion: APP_VERSION });
    return this.verify(path.basename(file));
  }

  /** Opens the backup read-only and runs integrity_check on it; remembers the answer. */
  async verify(name: string): Promise<BackupInfo> {
    const file = this.#resolve(name);
    let ok = false;
    const c = openBackup(file);
    try {
      const [rs] = await c.batch(['PRAGMA integrity_check(1)'], 'read');
      ok = rs?.rows.length === 1 && String(rs.rows[0]![0]) === 'ok';
    } catch {
      ok = false;
    } finally {
      c.close();
    }
    writeSidecar(file, { verified: ok ? 'ok' : 'failed' });
    return this.#info(file);
  }

  async inspect(name: string): Promise<BackupContents> {
    const file = this.#resolve(name);
    const c = openBackup(file);
    try {
      return await readBackupContents(c, name);
    } catch (e) {
      throw new PaddockError('CONFLICT', `This backup cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      c.close();
    }
  }

  /** Backs up the current state, checks the chosen backup, and stages it for the next start. */
  async restore(name: string): Promise<{ safetyBackup: string; restartRequired: boolean }> {
    const file = this.#resolve(name);
    const checked = await this.verify(name);
    if (checked.verified !== 'ok') throw new PaddockError('CONFLICT', 'This backup failed its integrity check; choose another one.');
    const safety = await this.backupNow('pre-restore');
    fs.writeFileSync(pendingRestorePath(this.#dbPath), file);
    return { safetyBackup: safety.name, restartRequired: true };
  }

  /** A backup's path from its name: only files of this folder that listBackups() knows. */
  #resolve(name: string): string {
    const file = path.join(this.#dir, path.basename(name));
    if (!listBackups(this.#dbPath, this.#dir).includes(file)) throw new PaddockError('NOT_FOUND', `No backup named ${name}`);
    return file;
  }

  #info(file: string): BackupInfo {
    const m = STAMP_RE.exec(file);
    const side = readSidecar(file);
    const createdAt = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : new Date(fs.statSync(file).mtimeMs).toISOString();
    return {
      name: path.basename(file),
      kind: m ? kindOf(m[8]!) : 'other',
      createdAt,
      bytes: fs.statSync(file).size,
      appVersion: side.appVersion ?? null,
      verified: side.verified ?? 'unknown',
    };
  }

  /** Sidecars whose backup was pruned. */
  #dropStaleSidecars(files: string[]): void {
    if (!fs.existsSync(this.#dir)) return;
    const live = new Set(files.map(sidecarPath));
    for (const f of fs.readdirSync(this.#dir)) {
      const p = path.join(this.#dir, f);
      if (f.endsWith('.bak.json') && !live.has(p)) fs.rmSync(p, { force: true });
    }
  }
}
