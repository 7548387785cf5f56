// Launch → first usable screen, from outside: `paddock serve` as a user runs it, timed from
// spawn to the link on stdout and to the first sessions.list answered over the WebSocket (what
// the window needs before it shows anything).

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ContractClient, parseHostLine, type HostLink } from '../lib/wsClient.js';

export interface Launched {
  child: ChildProcess;
  link: HostLink;
  client: ContractClient;
  /** Spawn → link printed. */
  urlMs: number;
  /** Spawn → first sessions.list page answered. */
  usableMs: number;
  /** CPU time (user + system) the host process had used when it was usable, or null off Linux:
   *  the work itself, which a loaded machine's waits for a core do not inflate. */
  cpuMs: number | null;
  stop(): Promise<void>;
}

export async function launch(root: string, db: string): Promise<Launched> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'paddock.mjs'), 'serve', '--db', db, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PADDOCK_TOKEN: 'bench-large-token-0123456789' },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const link = await new Promise<HostLink>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`paddock serve did not start: ${stderr}`)), 120_000);
    child.once('exit', (code) => reject(new Error(`paddock serve exited (${code}): ${stderr}`)));
    rl.on('line', (line) => {
      const l = parseHostLine(line);
      if (l) {
        clearTimeout(timer);
        resolve(l);
      }
    });
  });
  const urlMs = performance.now() - t0;
  const client = await ContractClient.connect(link);
  await client.call('sessions.list', {});
  const usableMs = performance.now() - t0;
  const cpuMs = child.pid === undefined ? null : processCpuMs(child.pid);
  return {
    child,
    link,
    client,
    urlMs,
    usableMs,
    cpuMs,
    stop: async () => {
      client.close();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** utime + stime of a process from /proc (fields 14 and 15, in clock ticks of 1/100 s on Linux). */
function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it start past its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
