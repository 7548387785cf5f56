// Runs `paddock serve` as a real child process for one test. Readiness is the one line the
// host prints (`Paddock is running at http://127.0.0.1:PORT/#token=TOKEN`): we wait for that
// signal, never for a fixed delay, and fail fast with the host's own output when it exits early.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { paths, repoRoot } from './paths';

export const READY_LINE = /^Paddock is running at (http:\/\/127\.0\.0\.1:(\d+)\/)#token=(\S+)$/;

export interface HostOptions {
  dataDir: string;
  /** A fixed token (`--token`); the host picks a random one when absent. */
  token?: string;
  /** Longest wait for the ready line; migrations on a fresh directory take a moment. */
  startTimeoutMs?: number;
}

export interface RunningHost {
  /** The full URL printed by the host, token fragment included. */
  url: string;
  /** `http://127.0.0.1:PORT/` without the token. */
  origin: string;
  baseUrl: string;
  port: number;
  token: string;
  pid: number;
  /** Everything the host wrote so far (stdout and stderr), for failure reports. */
  output(): string;
  /** The lines the host wrote on stdout so far. */
  stdoutLines(): string[];
  /** SIGTERM, then SIGKILL if it does not exit; resolves once the process is gone. */
  stop(): Promise<void>;
}

// Last line of defence against orphans: if the worker exits without tearing a test down (a
// crash, a forced stop), the hosts it started go with it.
const liveHosts = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveHosts) child.kill('SIGKILL');
});

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const args = [paths.cliEntry, 'serve', '--port', '0', '--data-dir', options.dataDir];
  if (options.token !== undefined) args.push('--token', options.token);
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const log: string[] = [];
  const stdoutLines: string[] = [];
  const output = () => log.join('');
  child.stderr!.setEncoding('utf8').on('data', (text: string) => log.push(text));

  liveHosts.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      liveHosts.delete(child);
      resolve(code);
    }),
  );
  const ready = new Promise<RegExpExecArray>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      log.push(line + '\n');
      stdoutLines.push(line);
      const match = READY_LINE.exec(line.trim());
      if (match) resolve(match);
    });
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`paddock serve exited with code ${code} before it was ready:\n${output()}`)));
  });

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`paddock serve printed no ready line within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killTimer);
  };

  try {
    const match = await Promise.race([ready, timeout]);
    const [url, origin, port, token] = [match[0].slice('Paddock is running at '.length), match[1]!, match[2]!, match[3]!];
    return {
      url,
      origin: origin.replace(/\/$/, ''),
      baseUrl: origin,
      port: Number(port),
      token,
      pid: child.pid!,
      output,
      stdoutLines: () => [...stdoutLines],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
