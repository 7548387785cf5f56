// The data-folder lock with real processes: a live holder refuses others, a SIGKILLed one is taken
// over, a reused pid is recognised by its start time (Linux), and many processes starting at
// once, on a fresh or a stale lock, produce exactly one winner.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../../scripts/bundle-node.mjs';
import { acquireInstanceLock, InstanceLockedError, lockFileFor, processStartTime, readLockOwner, type InstanceLock } from './instance-lock';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let bundleDir: string;
let holderScript: string;
let dir: string;
let file: string;
const children: ChildProcess[] = [];
const locks: InstanceLock[] = [];

const HOLDER = `import { acquireInstanceLock, InstanceLockedError } from './lock.mjs';
const [file, command, wait] = process.argv.slice(2);
function run() {
  try {
    const lock = acquireInstanceLock(file, { command });
    process.stdout.write('won\\n');
    process.stdin.on('end', () => { lock.release(); process.exit(0); });
  } catch (e) {
    if (!(e instanceof InstanceLockedError)) throw e;
    process.stdout.write('locked ' + (e.owner ? e.owner.pid : 'none') + '\\n');
    process.exit(3);
  }
}
process.stdin.resume();
if (wait) {
  // Racers load everything first and then all go on the same signal, to make the race tight.
  process.stdout.write('ready\\n');
  process.stdin.once('data', run);
} else run();
`;

beforeAll(async () => {
  bundleDir = fs.mkdtempSync(path.join(repoRoot, 'node_modules', '.paddock-lock-test-'));
  await bundleForNode(path.join(repoRoot, 'src', 'main', 'host', 'instance-lock.ts'), path.join(bundleDir, 'lock.mjs'), { logLevel: 'error' });
  holderScript = path.join(bundleDir, 'holder.mjs');
  fs.writeFileSync(holderScript, HOLDER);
});
afterAll(() => fs.rmSync(bundleDir, { recursive: true, force: true }));

afterEach(async () => {
  for (const lock of locks.splice(0)) lock.release();
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function fresh(): void {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-lock-'));
  file = lockFileFor(path.join(dir, 'paddock.db'));
}

interface Holder {
  child: ChildProcess;
  /** 'won' or 'locked <pid>'. */
  first: Promise<string>;
}

function startHolder(command = 'test holder'): Holder {
  const child = spawn(process.execPath, [holderScript, file, command], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const first = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`holder exited with ${code} before a line`)));
  });
  return { child, first };
}

/** Starts racers that each wait for a go signal, then sends it to all of them at once. */
async function race(count: number): Promise<{ racers: Holder[]; lines: string[] }> {
  const racers: Holder[] = [];
  const ready: Array<Promise<void>> = [];
  for (let i = 0; i < count; i += 1) {
    const child = spawn(process.execPath, [holderScript, file, 'racer', 'wait'], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    const queue: string[] = [];
    const waiters: Array<(line: string) => void> = [];
    lines.on('line', (line) => (waiters.length ? waiters.shift()!(line) : queue.push(line)));
    const next = () => new Promise<string>((resolve) => (queue.length ? resolve(queue.shift()!) : waiters.push(resolve)));
    ready.push(next().then((line) => expect(line).toBe('ready')));
    racers.push({ child, first: next() });
  }
  await Promise.all(ready);
  for (const r of racers) r.child.stdin!.write('go\n');
  return { racers, lines: await Promise.all(racers.map((r) => r.first)) };
}

async function killHard(child: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

function take(command = 'this test'): InstanceLock {
  const lock = acquireInstanceLock(file, { command });
  locks.push(lock);
  return lock;
}

describe('instance lock', () => {
  it('writes who holds it, refuses a second taker in the same process, and is gone after release', () => {
    fresh();
    const lock = take('paddock serve');
    expect(readLockOwner(file)).toMatchObject({ pid: process.pid, hostname: os.hostname(), command: 'paddock serve' });
    expect(() => acquireInstanceLock(file, { command: 'again' })).toThrow(InstanceLockedError);
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    take().release();
    expect(fs.readdirSync(dir)).toEqual([]); // no temp or claim files left behind
  });

  it('a live holder in another process refuses, naming its pid, command and start', async () => {
    fresh();
    const holder = startHolder('paddock serve');
    expect(await holder.first).toBe('won');
    let error: unknown;
    try {
      take();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InstanceLockedError);
    const locked = error as InstanceLockedError;
    expect(locked.owner).toMatchObject({ pid: holder.child.pid, command: 'paddock serve' });
    expect(locked.message).toContain(`pid ${holder.child.pid} (paddock serve)`);
    expect(locked.message).toContain('running since');
  });

  it('the lock of a SIGKILLed process is stale and taken over', async () => {
    fresh();
    const holder = startHolder();
    expect(await holder.first).toBe('won');
    await killHard(holder.child);
    expect(readLockOwner(file)?.pid).toBe(holder.child.pid);
    const lock = take();
    expect(readLockOwner(file)).toMatchObject({ pid: process.pid, nonce: lock.owner.nonce });
  });

  it.runIf(process.platform === 'linux')('a live pid with another start time is a reused pid: taken over', async () => {
    fresh();
    const other = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(other);
    await new Promise((resolve) => other.once('spawn', resolve));
    const record = { app: 'paddock', pid: other.pid, startTime: processStartTime(other.pid!), hostname: os.hostname(), command: 'x', since: 'then', nonce: 'n1' };
    fs.writeFileSync(file, JSON.stringify(record));
    expect(() => take()).toThrow(InstanceLockedError); // same start time: that process holds it
    fs.writeFileSync(file, JSON.stringify({ ...record, startTime: '1', nonce: 'n2' }));
    expect(take().owner.pid).toBe(process.pid);
  });

  it('an unreadable lock file is taken over; release never removes a lock that is not ours', () => {
    fresh();
    fs.writeFileSync(file, 'garbage');
    const lock = take();
    const foreign = JSON.stringify({ app: 'paddock', pid: 1, startTime: null, hostname: 'elsewhere', command: 'x', since: 'then', nonce: 'zz' });
    fs.writeFileSync(file, foreign);
    lock.release();
    expect(fs.readFileSync(file, 'utf8')).toBe(foreign);
  });

  it('a lock held from another host is never taken over', () => {
    fresh();
    fs.writeFileSync(file, JSON.stringify({ app: 'paddock', pid: 999_999_999, startTime: null, hostname: 'another-machine', command: 'paddock serve', since: 'then', nonce: 'h' }));
    expect(() => take()).toThrow(/on host another-machine/);
  });

  it('many processes starting at once: exactly one wins, on a fresh and on a stale lock', async () => {
    fresh();
    for (const stale of [false, true, true]) {
      if (stale) {
        // Leave a dead process's lock behind, then release whoever won the previous round.
        for (const child of children.splice(0)) {
          if (child.exitCode === null) await killHard(child);
        }
        expect(readLockOwner(file)).not.toBeNull();
      }
      const { racers, lines } = await race(6);
      const winners = racers.filter((_, i) => lines[i] === 'won');
      expect(winners).toHaveLength(1);
      const winnerPid = winners[0]!.child.pid;
      for (const line of lines.filter((l) => l !== 'won')) expect(line).toBe(`locked ${winnerPid}`);
      expect(readLockOwner(file)?.pid).toBe(winnerPid);
    }
  });
});
