// Starts the bench host (bench/host.ts) as a child process and talks to it: the browser host's
// link from its first line, bench commands over stdin.

import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { parseHostLine, type HostLink } from './wsClient.js';

const HOST_PREFIX = '@@HOST ';

export class HostProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (v: Record<string, unknown>) => void>();
  stderr = '';

  private constructor(
    readonly child: ChildProcess,
    readonly link: HostLink,
  ) {}

  static async start(script: string, dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<HostProcess> {
    const child = spawn(process.execPath, [script, 'host', dataDir], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const rl = readline.createInterface({ input: child.stdout! });
    let self: HostProcess | null = null;
    const link = await new Promise<HostLink>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench host did not start: ${stderr}`)), 60_000);
      child.once('exit', (code) => reject(new Error(`bench host exited (${code}): ${stderr}`)));
      rl.on('line', (line) => {
        if (line.startsWith(HOST_PREFIX)) {
          const msg = JSON.parse(line.slice(HOST_PREFIX.length)) as Record<string, unknown>;
          self?.waiting.get(Number(msg.id))?.(msg);
          self?.waiting.delete(Number(msg.id));
          return;
        }
        const l = parseHostLine(line);
        if (l) {
          clearTimeout(timer);
          resolve(l);
        }
      });
    });
    self = new HostProcess(child, link);
    child.stderr!.on('data', (d) => (self!.stderr += d));
    return self;
  }

  send(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 240_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench host: ${cmd} timed out; stderr: ${this.stderr.slice(-2000)}`)), timeoutMs);
      this.waiting.set(id, (msg) => {
        clearTimeout(timer);
        if (typeof msg.error === 'string') reject(new Error(`bench host: ${cmd}: ${msg.error}`));
        else resolve(msg);
      });
      this.child.stdin!.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
}
