// Who has the database open: on Linux, every process whose /proc/<pid>/fd links to the database
// file or its -wal / -shm / -journal. Best effort — other users' processes are unreadable without
// privileges, and other systems have no /proc — so an empty answer means "unknown", never "nobody".

import fs from 'node:fs';
import path from 'node:path';

export interface LockHolder {
  pid: number;
  /** The process's command line, arguments joined by spaces ('' when unreadable). */
  command: string;
}

const COMPANIONS = ['', '-wal', '-shm', '-journal'];

function realTargets(dbPath: string): Set<string> {
  const targets = new Set<string>();
  for (const suffix of COMPANIONS) {
    const file = `${path.resolve(dbPath)}${suffix}`;
    targets.add(file);
    try {
      targets.add(fs.realpathSync(file));
    } catch {
      // absent: the plain path is enough
    }
  }
  return targets;
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

function holds(pid: number, targets: Set<string>): boolean {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or not ours to look at
  }
  for (const fd of fds) {
    try {
      if (targets.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
    } catch {
      // the descriptor closed while we looked
    }
  }
  return false;
}

/** Other processes that have `dbPath` (or its companions) open. Never throws; [] when unknown. */
export function findLockHolders(dbPath: string, opts: { includeSelf?: boolean } = {}): LockHolder[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const targets = realTargets(dbPath);
  const found: LockHolder[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid && !opts.includeSelf) continue;
    if (holds(pid, targets)) found.push({ pid, command: commandOf(pid) });
  }
  return found;
}

/** "pid 123 (node worker.js), pid 456 (paddock serve)" or "another process" when unknown. */
export function describeLockHolders(holders: readonly LockHolder[]): string {
  if (holders.length === 0) return 'another process';
  const shown = holders.slice(0, 5).map((h) => `pid ${h.pid}${h.command ? ` (${truncate(h.command, 120)})` : ''}`);
  const more = holders.length > shown.length ? ` and ${holders.length - shown.length} more` : '';
  return `${shown.join(', ')}${more}`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
