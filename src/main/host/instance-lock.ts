// One Paddock per database: a lock file beside the database (`paddock.db.lock`), taken before the
// database is opened and held for the life of the process. Node has no flock, so the file says
// who holds it (pid, start time, host, command) and liveness is decided from that: a lock whose
// process is gone (or whose pid now belongs to another process) is taken over.
//
// Creation is atomic and complete: the record is written to a private temp file and hard-linked
// to the lock name (link fails with EEXIST, like O_EXCL, and nobody ever reads a half-written
// lock). A stale lock is taken over by first claiming it: link(lock, lock.stale-<hash of its
// content>) succeeds for one process only; that process checks the claim still holds the stale
// content it judged, removes the lock and then competes with everyone else through link()
// again. So two starters that both see the same stale lock cannot both win.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

/** Exit code of a command refused because another Paddock holds the database. */
export const LOCKED_EXIT_CODE = 3;

export interface LockOwner {
  app: 'paddock';
  pid: number;
  /** Linux: the process start time in clock ticks since boot (/proc/<pid>/stat); null elsewhere. */
  startTime: string | null;
  hostname: string;
  /** What holds it, e.g. "paddock serve" (never the raw argv: it may carry a token). */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  nonce: string;
}

export class InstanceLockedError extends Error {
  constructor(
    readonly file: string,
    readonly owner: LockOwner | null,
    detail?: string,
  ) {
    super(detail ?? `another Paddock is using this database: ${owner ? describeOwner(owner) : 'unknown process'} (lock file ${file})`);
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  file: string;
  owner: LockOwner;
  /** Removes the lock if it is still ours. Idempotent; also runs at process exit. */
  release(): void;
}

/** Nonces of the locks this process holds: a record with our own pid is only live if listed. */
const heldHere = new Set<string>();

export function lockFileFor(databaseFile: string): string {
  return `${databaseFile}.lock`;
}

export function describeOwner(owner: LockOwner): string {
  const where = owner.hostname === os.hostname() ? '' : ` on host ${owner.hostname}`;
  return `pid ${owner.pid} (${owner.command})${where}, running since ${owner.since}`;
}

/** Linux only: field 22 of /proc/<pid>/stat; null where it cannot be read. */
export function processStartTime(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 counted from 1, minus the two before ')'
  } catch {
    return null;
  }
}

export function isOwnerAlive(owner: LockOwner): boolean {
  // Another machine (a shared folder): its processes cannot be checked from here.
  if (owner.hostname !== os.hostname()) return true;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  if (owner.pid === process.pid) return heldHere.has(owner.nonce);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // The pid exists; on Linux, a different start time means it was reused by another process.
  const now = processStartTime(owner.pid);
  return !(owner.startTime !== null && now !== null && now !== owner.startTime);
}

function parseOwner(raw: string): LockOwner | null {
  try {
    const o = JSON.parse(raw) as Partial<LockOwner>;
    if (o.app !== 'paddock' || typeof o.pid !== 'number' || typeof o.nonce !== 'string' || typeof o.hostname !== 'string') return null;
    return { startTime: null, command: 'unknown', since: 'unknown', ...o } as LockOwner;
  } catch {
    return null;
  }
}

function readRaw(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Reads the lock record, or null when there is none (or it is not one of ours). */
export function readLockOwner(file: string): LockOwner | null {
  const raw = readRaw(file);
  return raw === null ? null : parseOwner(raw);
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Removes the stale lock whose content is `raw`, if nobody else is doing so. Returns false when
 * another process is (or was, and died) in the middle of the same takeover.
 */
function takeOver(file: string, raw: string): boolean {
  const claim = `${file}.stale-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
  try {
    fs.linkSync(file, claim);
  } catch (error) {
    if (errno(error) === 'ENOENT') return true; // already gone: compete for a fresh one
    if (errno(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    // Only the stale lock itself may be removed, never a newer one that replaced it meanwhile.
    if (readRaw(claim) === raw) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(claim, { force: true });
  }
  return true;
}

function ownRecord(command: string): LockOwner {
  return {
    app: 'paddock',
    pid: process.pid,
    startTime: processStartTime(process.pid),
    hostname: os.hostname(),
    command,
    since: new Date().toISOString(),
    nonce: randomBytes(12).toString('hex'),
  };
}

/**
 * Takes the lock or throws InstanceLockedError naming the live holder. The folder must exist.
 * Synchronous on purpose: it runs before anything else and must also release from an exit hook.
 */
export function acquireInstanceLock(file: string, options: { command: string }): InstanceLock {
  const owner = ownRecord(options.command);
  const raw = `${JSON.stringify(owner, null, 2)}\n`;
  const tmp = `${file}.${owner.nonce}.tmp`;
  fs.writeFileSync(tmp, raw, { flag: 'wx', mode: 0o644 });
  // Another starter in the middle of taking over a stale lock needs microseconds; wait for it a
  // little (much longer than that, for a loaded machine) before calling the claim abandoned.
  const giveUpAt = Date.now() + 5_000;
  try {
    for (;;) {
      try {
        fs.linkSync(tmp, file);
      } catch (error) {
        if (errno(error) !== 'EEXIST') throw error;
        const current = readRaw(file);
        if (current === null) continue; // released between our link and our read
        const holder = parseOwner(current);
        if (holder && isOwnerAlive(holder)) throw new InstanceLockedError(file, holder);
        if (takeOver(file, current)) continue;
        if (Date.now() > giveUpAt) {
          throw new InstanceLockedError(
            file,
            holder,
            `the stale lock file ${file} is claimed by a takeover that never finished; if no Paddock is starting, delete ${file} and ${file}.stale-* and try again`,
          );
        }
        pause(10);
        continue;
      }
      // Re-check: the lock on disk is ours (it always is once link succeeded, unless removed).
      if (readRaw(file) === raw) return holdLock(file, owner, raw);
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** A synchronous pause (acquisition is synchronous; see acquireInstanceLock). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function holdLock(file: string, owner: LockOwner, raw: string): InstanceLock {
  heldHere.add(owner.nonce);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    heldHere.delete(owner.nonce);
    try {
      if (readRaw(file) === raw) fs.rmSync(file, { force: true });
    } catch {
      // Best effort at exit: a lock left behind is stale and will be taken over.
    }
  };
  process.on('exit', release);
  return { file, owner, release };
}
