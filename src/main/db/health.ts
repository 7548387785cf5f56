// Clear words for a database that cannot be used as it is: a read-only data folder, a damaged
// file, a full disk, an empty file. Checks before opening (cheap: fs.access and the 100-byte
// header, never a full scan) and turns SQLite's errors after opening into DatabaseErrors whose
// message says what is wrong with which file and what to do.

import fs from 'node:fs';
import path from 'node:path';
import { DatabaseError, classifySqliteError } from './errors.js';
import { backupDirFor, listBackups } from './migrator/backup.js';
import { MigrationError } from './migrator/types.js';

const SQLITE_MAGIC = 'SQLite format 3\0';

function errnoOf(e: unknown): string {
  return String((e as NodeJS.ErrnoException | null)?.code ?? '');
}

function nearestExisting(p: string): string {
  let dir = p;
  while (!fs.existsSync(dir)) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

/** The first fs.access refusal among the folder and the files SQLite must write, or null. */
function writeRefusal(dbPath: string): { target: string; error: NodeJS.ErrnoException } | null {
  const dir = path.dirname(dbPath);
  const targets = [nearestExisting(dir), ...['', '-wal', '-shm'].map((s) => `${dbPath}${s}`).filter((f) => fs.existsSync(f))];
  for (const target of targets) {
    try {
      fs.accessSync(target, fs.constants.R_OK | fs.constants.W_OK);
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return { target, error: e as NodeJS.ErrnoException };
    }
  }
  return null;
}

export function readOnlyError(dbPath: string, cause: unknown, refusal = writeRefusal(dbPath)): DatabaseError {
  const dir = path.dirname(dbPath);
  // The folder itself, the nearest existing parent of a folder still to create, or a file in it.
  const where = refusal?.target ?? dir;
  const why = refusal?.error.code === 'EROFS' ? 'it is on a read-only file system' : 'it is read-only (no write permission)';
  return new DatabaseError(
    'READ_ONLY',
    dbPath,
    `Paddock cannot write to ${where}: ${why}. Paddock keeps its database (${path.basename(dbPath)} and its -wal/-shm files) ` +
      `in ${dir} and must be able to write there. Make the folder writable (for example: chmod u+w "${dir}"), ` +
      'or start Paddock with another data folder (--data-dir or PADDOCK_DATA_DIR).',
    { cause, details: { folder: dir, target: where, errno: refusal?.error.code ?? null } },
  );
}

/** Newest first; each one passed quick_check before it got its `.bak` name. */
export function newestBackups(dbPath: string, n = 3): string[] {
  try {
    return listBackups(dbPath).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs).slice(0, n);
  } catch {
    return [];
  }
}

function restoreSteps(dbPath: string, backup: string): string[] {
  if (process.platform === 'win32') {
    return [`move "${dbPath}" "${dbPath}.damaged"`, `del "${dbPath}-wal" "${dbPath}-shm"`, `copy "${backup}" "${dbPath}"`];
  }
  return [`mv "${dbPath}" "${dbPath}.damaged"`, `rm -f "${dbPath}-wal" "${dbPath}-shm"`, `cp "${backup}" "${dbPath}"`];
}

export function corruptError(dbPath: string, cause: unknown, why?: string): DatabaseError {
  const backupDir = backupDirFor(dbPath);
  const backups = newestBackups(dbPath);
  const lines = [
    `The database file ${dbPath} is damaged and Paddock cannot use it (${why ?? sqliteMessage(cause)}).`,
    `Backups are kept in ${backupDir}.`,
  ];
  if (backups.length > 0) {
    lines.push('Newest verified backups:', ...backups.map((b) => `  ${b} (${new Date(fs.statSync(b).mtimeMs).toISOString()})`));
    lines.push('To restore the newest one, quit Paddock and run:', ...restoreSteps(dbPath, backups[0]!).map((s) => `  ${s}`));
  } else {
    lines.push(
      'No backup was found there. To start over with an empty database, quit Paddock and move the damaged file aside:',
      `  ${restoreSteps(dbPath, '')[0]}`,
      `Keep the damaged copy: "sqlite3 ${dbPath}.damaged .recover" may get most of it back.`,
    );
  }
  return new DatabaseError('CORRUPT', dbPath, lines.join('\n'), { cause, details: { backupDir, backups } });
}

export function diskFullError(dbPath: string, cause: unknown): DatabaseError {
  const dir = path.dirname(dbPath);
  let free = '';
  try {
    const s = fs.statfsSync(dir);
    free = ` (${((s.bavail * s.bsize) / 1024 / 1024).toFixed(1)} MB free)`;
  } catch {
    // statfs is best effort
  }
  return new DatabaseError(
    'DISK_FULL',
    dbPath,
    `The disk holding ${dir} is full${free}: Paddock could not write to ${path.basename(dbPath)}. ` +
      'The change that needed the space was rolled back and nothing already saved was lost. Free some space and try again.',
    { cause, details: { folder: dir } },
  );
}

function sqliteMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/^SQLITE_[A-Z_]+: /, '');
}

/**
 * Checks before opening. Throws READ_ONLY or CORRUPT (a file shorter than its own header says:
 * truncated); returns notices the host should show (an empty file being started afresh).
 */
export function preflight(dbPath: string): string[] {
  const refusal = writeRefusal(dbPath);
  if (refusal) throw readOnlyError(dbPath, refusal.error, refusal);
  let size: number;
  try {
    size = fs.statSync(dbPath).size;
  } catch {
    return []; // no file yet: a new database, nothing to say
  }
  if (size === 0) {
    const backups = newestBackups(dbPath, 1);
    return [
      `${dbPath} was empty (0 bytes), so Paddock started it as a new, empty database.` +
        (backups.length > 0 ? ` If you expected your data there, quit Paddock and restore the newest backup: ${restoreSteps(dbPath, backups[0]!).join(' && ')}` : ''),
    ];
  }
  const truncated = truncation(dbPath, size);
  if (truncated) throw corruptError(dbPath, null, truncated);
  return [];
}

/** "truncated: …" when the header's page count says the file should be longer, else null. */
function truncation(dbPath: string, size: number): string | null {
  const header = Buffer.alloc(100);
  const fd = fs.openSync(dbPath, 'r');
  try {
    if (fs.readSync(fd, header, 0, 100, 0) < 100) return null; // SQLite itself will judge it
  } finally {
    fs.closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== SQLITE_MAGIC) return null;
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = header.readUInt32BE(28);
  // The in-header size is valid only when the change counter matches "version-valid-for".
  if (pages === 0 || header.readUInt32BE(24) !== header.readUInt32BE(92)) return null;
  // A crash mid-checkpoint can leave the file short with the WAL still holding the rest.
  const wal = `${dbPath}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) return null;
  const expected = pages * pageSize;
  return size < expected ? `it is truncated: ${size} bytes where its header says ${expected}` : null;
}

/**
 * SQLite's (or fs's) error turned into a DatabaseError with clear words when it is about the
 * environment or the file; anything else (migration history problems, LOCKED…) is returned as is.
 */
export function explainDatabaseError(e: unknown, dbPath: string): unknown {
  if (e instanceof DatabaseError) return e;
  if (e instanceof MigrationError) {
    // A migration statement or backup that failed because of the disk or the file.
    const sqlite = e.problems.map((p) => ({ code: p.detail?.sqliteCode, message: p.detail?.sqliteMessage ?? p.message }));
    const kind = sqlite.map((s) => classifySqliteError(s)).find((k) => k === 'full' || k === 'corrupt' || k === 'readonly');
    if (kind === undefined) return e;
    return explainKind(kind, e, dbPath);
  }
  return explainKind(classifySqliteError(e), e, dbPath);
}

function explainKind(kind: ReturnType<typeof classifySqliteError>, e: unknown, dbPath: string): unknown {
  switch (kind) {
    case 'readonly':
      return readOnlyError(dbPath, e);
    case 'corrupt':
      return corruptError(dbPath, e);
    case 'full':
      return diskFullError(dbPath, e);
    case 'cantopen': {
      const refusal = writeRefusal(dbPath);
      if (refusal) return readOnlyError(dbPath, e, refusal);
      return new DatabaseError('CANT_OPEN', dbPath, `Paddock cannot open the database file ${dbPath}: ${cantOpenReason(dbPath)}.`, { cause: e });
    }
    default:
      return e;
  }
}

function cantOpenReason(dbPath: string): string {
  const existing = nearestExisting(path.dirname(dbPath));
  if (!fs.statSync(existing).isDirectory()) return `${existing} is a file, not a folder`;
  if (fs.existsSync(dbPath) && fs.statSync(dbPath).isDirectory()) return 'that path is a folder, not a file';
  return 'SQLite could not open it (check that the folder exists and that the file is not in use by a program that locks it)';
}
