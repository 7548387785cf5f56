// run_shell: a command in the agent's working directory, with a timeout, an output cap and a
// prompt kill of the whole process group when the session stops (see processes.ts for the
// shutdown and crash side).
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { ToolProcesses } from './processes';
import { ToolError, type ToolDef } from './types';

/** For callers without a runtime of their own (its groups are still killed at process exit). */
const defaultProcesses = new ToolProcesses();

export const SHELL_DEFAULT_TIMEOUT_MS = 120_000;
export const SHELL_MAX_TIMEOUT_MS = 30 * 60_000;
export const SHELL_OUTPUT_CAP = 64 * 1024;

const shellArgs = z.object({
  command: z.string().min(1).max(64 * 1024).describe('The shell command to run.'),
  timeoutMs: z.number().int().min(100).max(SHELL_MAX_TIMEOUT_MS).optional().describe('Kill the command after this long.'),
});

export interface ShellResult {
  exitCode: number | null;
  signal: string | null;
  output: string;
  truncated: boolean;
  timedOut: boolean;
  aborted: boolean;
}

function killTree(pid: number | undefined, processes: ToolProcesses) {
  if (!pid) return;
  if (process.platform !== 'win32') return processes.kill(pid);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function runCommand(
  command: string,
  opts: { cwd: string; timeoutMs: number; signal: AbortSignal; cap?: number; processes?: ToolProcesses },
): Promise<ShellResult> {
  const cap = opts.cap ?? SHELL_OUTPUT_CAP;
  const processes = opts.processes ?? defaultProcesses;
  return new Promise((resolve, reject) => {
    if (opts.signal.aborted) {
      resolve({ exitCode: null, signal: null, output: '', truncated: false, timedOut: false, aborted: true });
      return;
    }
    // detached: the shell leads a new process group, which is what gets killed as a whole.
    const child = spawn(command, { cwd: opts.cwd, shell: true, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) processes.add(child.pid, command);
    let output = '';
    let truncated = false;
    let timedOut = false;
    let aborted = false;
    const take = (buf: Buffer) => {
      if (output.length >= cap) {
        truncated = true;
        return;
      }
      const s = buf.toString('utf8');
      if (output.length + s.length > cap) {
        output += s.slice(0, cap - output.length);
        truncated = true;
      } else output += s;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid, processes);
    }, opts.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killTree(child.pid, processes);
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      if (child.pid) processes.leaderExited(child.pid);
    };
    child.on('error', (err) => {
      settle();
      reject(new ToolError(`Could not start the command: ${err.message}`));
    });
    child.on('close', (code, sig) => {
      settle();
      resolve({ exitCode: code, signal: sig, output, truncated, timedOut, aborted });
    });
  });
}

export const runShellTool: ToolDef<z.infer<typeof shellArgs>> = {
  name: 'run_shell',
  description: 'Run a shell command in the working directory and return its combined output and exit code.',
  schema: shellArgs,
  effect: 'execute',
  async run(args, { sandbox, signal, processes }) {
    const timeoutMs = args.timeoutMs ?? SHELL_DEFAULT_TIMEOUT_MS;
    const r = await runCommand(args.command, { cwd: sandbox.cwd, timeoutMs, signal, ...(processes ? { processes } : {}) });
    const notes: string[] = [];
    if (r.truncated) notes.push(`[output truncated at ${SHELL_OUTPUT_CAP} characters]`);
    if (r.timedOut) notes.push(`[killed after ${timeoutMs} ms timeout]`);
    if (r.aborted) notes.push('[killed: the session was stopped]');
    const status = r.exitCode !== null ? `exit code ${r.exitCode}` : `terminated by ${r.signal ?? 'signal'}`;
    const text = `${r.output}${r.output.endsWith('\n') || !r.output ? '' : '\n'}${notes.join('\n')}${notes.length ? '\n' : ''}[${status}]`;
    return { text, isError: r.exitCode !== 0 };
  },
};
