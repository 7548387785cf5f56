// The process groups tool commands run in, so none outlives Paddock. Each command is started as
// the leader of its own group (spawn detached); a group is killed as a whole on stop, timeout, a
// clean shutdown and process exit. Against a crash (SIGKILL, power loss) the live groups are also
// written to a small file in the data folder, and the next start ends those still running.
//
// A pid can be recycled: a recorded group is only killed when its leader's start time (from
// /proc/<pid>/stat) still matches, or when the leader is gone (its number cannot be handed out
// again while members of its group live). Without /proc (macOS) the start-up sweep kills nothing
// it cannot verify; in-process kills still work, since those groups are known to be ours.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const TOOL_PROCESSES_FILE = 'tool-processes.json';

const SUPPORTED = process.platform !== 'win32';

const entrySchema = z.object({
  pid: z.number().int().positive(),
  pgid: z.number().int().positive(),
  /** /proc/<pid>/stat field 22 (clock ticks after boot), null where there is no /proc. */
  startTime: z.string().nullable(),
  command: z.string(),
  startedAt: z.string(),
});
type Entry = z.infer<typeof entrySchema>;

/** Fields of /proc/<pid>/stat after the command name, or null when the process does not exist. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** When `pid` started (opaque, comparable for equality), or null if unknown. */
export function processStartTime(pid: number): string | null {
  return procStat(pid)?.[19] ?? null;
}

/** True while `pid` exists and is not a zombie (killed, not yet reaped). */
export function processAlive(pid: number): boolean {
  const stat = procStat(pid);
  if (stat) return stat[0] !== 'Z';
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILLs a recorded group unless its number now belongs to someone else. */
function killGroup(e: Entry, requireVerified: boolean): boolean {
  if (!SUPPORTED) return false;
  if (requireVerified && e.startTime === null) return false;
  const now = processStartTime(e.pgid);
  if (now !== null && now !== e.startTime) return false;
  try {
    process.kill(-e.pgid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

const withLive = new Set<ToolProcesses>();
let exitHooked = false;

function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  // Synchronous, so it also runs on process.exit(): nothing started by a tool survives us.
  process.on('exit', () => {
    for (const r of [...withLive]) r.killAll();
  });
}

export class ToolProcesses {
  private readonly live = new Map<number, Entry>();

  /** `file`: where live groups are recorded for the next start (null: memory only). */
  constructor(private readonly file: string | null = null) {}

  /**
   * Start-up: ends the groups a previous process recorded and did not end (it crashed), then
   * clears the record. Returns how many groups it killed.
   */
  sweepLeftovers(): number {
    if (!this.file) return 0;
    let killed = 0;
    let recorded: unknown = [];
    try {
      recorded = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      // No file (clean exit) or a damaged one: nothing verifiable to kill.
    }
    const parsed = z.array(entrySchema).safeParse(recorded);
    for (const e of parsed.success ? parsed.data : []) if (killGroup(e, true)) killed++;
    this.save();
    return killed;
  }

  /** Records a just-spawned group leader. */
  add(pid: number, command: string): void {
    if (!SUPPORTED) return;
    this.prune();
    this.live.set(pid, { pid, pgid: pid, startTime: processStartTime(pid), command: command.slice(0, 500), startedAt: new Date().toISOString() });
    withLive.add(this);
    hookExit();
    this.save();
  }

  /**
   * The leader ended. Members it left running in the background stay recorded (and are killed
   * with the rest at shutdown) until the group is empty.
   */
  leaderExited(pid: number): void {
    if (!this.live.has(pid)) return;
    if (!groupExists(pid)) this.live.delete(pid);
    this.prune();
    this.save();
  }

  /** Kills a group now (stop, timeout). SIGKILL cannot be caught: once sent, the group is done. */
  kill(pid: number): void {
    const e = this.live.get(pid);
    if (!e || !killGroup(e, false)) return;
    this.live.delete(pid);
    this.prune();
    this.save();
  }

  /** Shutdown: kills every group still recorded and clears the record. */
  killAll(): void {
    for (const e of this.live.values()) killGroup(e, false);
    this.live.clear();
    this.save();
  }

  get size(): number {
    return this.live.size;
  }

  private prune(): void {
    for (const [pid, e] of this.live) if (!groupExists(e.pgid)) this.live.delete(pid);
    if (this.live.size === 0) withLive.delete(this);
  }

  /** Written atomically (temp + rename) and synchronously: it must be on disk before the command runs. */
  private save(): void {
    if (!this.file) return;
    try {
      if (this.live.size === 0) {
        rmSync(this.file, { force: true });
        return;
      }
      const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify([...this.live.values()], null, 1), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      // A data folder we cannot write: the in-process kills still work, only crash cleanup is lost.
    }
  }
}
