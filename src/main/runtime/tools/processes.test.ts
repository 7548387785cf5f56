// Tool commands never outlive Paddock: a stop kills the command's whole process group, a clean
// shutdown kills what commands left in the background, and after a crash (SIGKILL) the next start
// ends the groups the dead process recorded. Real processes throughout.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../../../scripts/bundle-node.mjs';
import { createPaddockCore } from '../../core';
import type { IpcLogger } from '../../ipc/errors';
import { createHarness } from '../testing/harness';
import { processAlive, processStartTime, ToolProcesses, TOOL_PROCESSES_FILE } from './processes';
import { runCommand } from './shell';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundleDir = path.resolve(here, '../../../../node_modules/.cache/paddock-tool-processes', String(process.pid));
const bundle = path.join(bundleDir, 'child.mjs');
const linux = process.platform === 'linux';
let dir: string;
const started: number[] = [];

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-procs-')));
  await bundleForNode(path.join(here, '..', 'testing', 'shellCrashChild.ts'), bundle, { logLevel: 'silent' });
});

afterAll(() => {
  // Whatever a failed test left behind.
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(bundleDir, { recursive: true, force: true });
});

async function until(cond: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A command that starts a background grandchild and then waits: both pids go to `file`. */
const grandchildCommand = (file: string) => `sleep 300 & echo $! > ${file}.tmp; echo $$ >> ${file}.tmp; mv ${file}.tmp ${file}; sleep 300`;

async function pidsFrom(file: string): Promise<number[]> {
  await until(() => fs.existsSync(file), `pids in ${file}`);
  const pids = fs.readFileSync(file, 'utf8').trim().split('\n').map(Number);
  started.push(...pids);
  return pids;
}

describe.skipIf(process.platform === 'win32')('tool process groups', () => {
  it('a stop kills the whole group, the background grandchild too', async () => {
    const processes = new ToolProcesses();
    const ac = new AbortController();
    const pidFile = path.join(dir, 'stop.pids');
    const result = runCommand(grandchildCommand(pidFile), { cwd: dir, timeoutMs: 600_000, signal: ac.signal, processes });
    const pids = await pidsFrom(pidFile);
    expect(pids.every(processAlive)).toBe(true);
    ac.abort();
    expect((await result).aborted).toBe(true);
    await until(() => !pids.some(processAlive), 'the group to end');
    expect(processes.size).toBe(0);
  });

  it('a clean shutdown of the runtime ends what a finished command left in the background', async () => {
    const h = await createHarness();
    try {
      const s = await h.newSession({ permissionMode: 'bypassPermissions' });
      const pidFile = path.join(h.workDir, 'bg.pid');
      h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: `sleep 300 >/dev/null 2>&1 & echo $! > bg.tmp; mv bg.tmp bg.pid` } }] }, { parts: [{ type: 'text', text: 'done' }] });
      await h.runtime.start({ sessionId: s.id, message: 'start a server' });
      expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
      const [bg] = await pidsFrom(pidFile);
      // The command is finished, its background job is not: still recorded as ours.
      expect(processAlive(bg!)).toBe(true);
      expect(h.runtime.processes.size).toBe(1);
      await h.runtime.close();
      await until(() => !processAlive(bg!), 'the background job to end');
    } finally {
      await h.cleanup();
    }
  });

  it.skipIf(!linux)('after a SIGKILL of Paddock, the next start-up sweep ends the recorded groups', async () => {
    const record = path.join(dir, TOOL_PROCESSES_FILE);
    const pidFile = path.join(dir, 'crash.pids');
    const child = spawn(process.execPath, [bundle, record, dir, grandchildCommand(pidFile)], { stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(child.pid!);
    const pids = await pidsFrom(pidFile);
    // The command can write its pid file before Paddock (the child) has written its record:
    // both happen right after the spawn, in two processes. Wait for the record itself.
    const recorded = () => {
      try {
        return (JSON.parse(fs.readFileSync(record, 'utf8')) as Array<{ pid: number }>).some((r) => r.pid === pids[1]);
      } catch {
        return false;
      }
    };
    await until(recorded, 'Paddock to record the command');
    expect(JSON.parse(fs.readFileSync(record, 'utf8'))).toMatchObject([{ pid: pids[1], pgid: pids[1], command: expect.stringContaining('sleep 300') }]);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    // The crash left the command and its grandchild running: what this is about.
    expect(pids.every(processAlive)).toBe(true);
    expect(new ToolProcesses(record).sweepLeftovers()).toBe(1);
    await until(() => !pids.some(processAlive), 'the leftovers to end');
    expect(fs.existsSync(record)).toBe(false);
  });

  it('process exit ends what a finished command left in the background', async () => {
    const pidFile = path.join(dir, 'exit.pid');
    const command = `sleep 300 >/dev/null 2>&1 & echo $! > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}`;
    const child = spawn(process.execPath, [bundle, path.join(dir, 'exit.json'), dir, command, 'exit'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    const [bg] = await pidsFrom(pidFile);
    await until(() => !processAlive(bg!), 'the background job to end');
  });

  it.skipIf(!linux)('the sweep never kills a process whose pid was recycled (start time differs)', async () => {
    const record = path.join(dir, 'recycled.json');
    const other = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    started.push(other.pid!);
    await until(() => processStartTime(other.pid!) !== null, 'the stand-in to start');
    const wrong = String(Number(processStartTime(other.pid!)) - 1);
    fs.writeFileSync(record, JSON.stringify([{ pid: other.pid, pgid: other.pid, startTime: wrong, command: 'old', startedAt: new Date().toISOString() }]));
    expect(new ToolProcesses(record).sweepLeftovers()).toBe(0);
    expect(processAlive(other.pid!)).toBe(true);
    other.kill('SIGKILL');
  });

  it.skipIf(!linux)('the runtime plugin sweeps <dataDir>/tool-processes.json at start-up', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-procs-core-'));
    const left = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    started.push(left.pid!);
    await until(() => processStartTime(left.pid!) !== null, 'the leftover to start');
    const entry = { pid: left.pid, pgid: left.pid, startTime: processStartTime(left.pid!), command: 'sleep 300', startedAt: new Date().toISOString() };
    fs.writeFileSync(path.join(dataDir, TOOL_PROCESSES_FILE), JSON.stringify([entry]));
    const warnings: string[] = [];
    const logger: IpcLogger = { error: () => {}, warn: (m) => warnings.push(m) };
    const core = await createPaddockCore({ dataDir, host: 'browser', logger, runtime: { maxRetries: 0, scheduler: false } });
    try {
      await until(() => !processAlive(left.pid!), 'the leftover to end');
      expect(warnings.join('\n')).toMatch(/Ended 1 tool command process group/);
      expect(fs.existsSync(path.join(dataDir, TOOL_PROCESSES_FILE))).toBe(false);
    } finally {
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
