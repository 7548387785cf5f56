// `paddock serve` start-up as a newcomer and an operator meet it, with real processes: network
// exposure only when asked for, the token from a file or the environment, one Paddock per data
// folder, where the data lives, and start-up errors that are quick and clear.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { networkAddresses } from '../host/access';
import { processStartTime } from '../host/instance-lock';
import { buildCli, connect } from '../host/testing';

let cli: Awaited<ReturnType<typeof buildCli>>;
let work: string;
let rendererDir: string;
const procs: ChildProcess[] = [];

beforeAll(async () => {
  cli = await buildCli();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
});
afterAll(() => {
  cli?.cleanup();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const p of procs.splice(0).reverse()) {
    if (p.exitCode === null && p.signalCode === null) {
      const gone = new Promise((resolve) => p.once('exit', resolve));
      p.kill('SIGKILL');
      await gone;
    }
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function fresh(): string {
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-serve-cli-')));
  return work;
}

interface Started {
  proc: ChildProcess;
  /** The first stdout line, or null when the process exited first. */
  line: Promise<string | null>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderr(): string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Started {
  const proc = spawn(process.execPath, [cli.runner, ...args], {
    env: { ...process.env, PADDOCK_DATA_DIR: '', PADDOCK_TOKEN: '', PADDOCK_RENDERER_DIR: rendererDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(proc);
  let stdout = '';
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    proc.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  const line = new Promise<string | null>((resolve) => {
    proc.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve(stdout.slice(0, nl));
    });
    void exited.then(() => resolve(null));
  });
  return { proc, line, exited, stderr: () => stderr };
}

const LINK = /^Paddock is running at http:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/#token=([A-Za-z0-9_-]+)$/;

async function started(s: Started): Promise<{ host: string; port: number; token: string }> {
  const line = await s.line;
  if (line === null) throw new Error(`serve exited early: ${(await s.exited).stderr}`);
  const m = LINK.exec(line);
  if (!m) throw new Error(`unexpected line ${line}`);
  return { host: m[1]!, port: Number(m[2]), token: m[3]! };
}

async function stop(s: Started): Promise<number | null> {
  s.proc.kill('SIGTERM');
  return (await s.exited).code;
}

describe('network exposure is explicit', () => {
  it('refuses a non-loopback --host without --allow-network, before touching the data folder', async () => {
    const dir = path.join(fresh(), 'data');
    for (const host of ['0.0.0.0', '::', '192.0.2.1', '127.evil.example']) {
      const r = await run(['serve', '--host', host, '--port', '0', '--data-dir', dir]).exited;
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^paddock serve: --host .* reachable from other machines/);
      expect(r.stderr).toContain('--allow-network');
    }
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('with --allow-network: the link names a reachable address and stderr warns', async () => {
    const dir = fresh();
    const s = run(['serve', '--host', '0.0.0.0', '--allow-network', '--port', '0', '--data-dir', dir]);
    const link = await started(s);
    expect(link.host).toBe(networkAddresses()[0] ?? '127.0.0.1');
    expect(link.host).not.toBe('0.0.0.0');
    expect(s.stderr()).toMatch(/warning: listening on 0\.0\.0\.0:\d+, reachable from other machines/);
    expect(s.stderr()).toContain('plain HTTP');
    const client = await connect(link.port, link.token);
    expect(await client.call('agents.list')).toMatchObject({ ok: true });
    client.close();
    expect(await stop(s)).toBe(0);
  });

  it('takes the token from PADDOCK_TOKEN or a private --token-file, and refuses a readable one', async () => {
    const dir = fresh();
    const fromEnv = run(['serve', '--port', '0', '--data-dir', path.join(dir, 'a')], { PADDOCK_TOKEN: 'token-from-the-environment' });
    expect((await started(fromEnv)).token).toBe('token-from-the-environment');
    await stop(fromEnv);

    const file = path.join(dir, 'token');
    fs.writeFileSync(file, 'token-from-a-private-file\n', { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    const fromFile = run(['serve', '--port', '0', '--data-dir', path.join(dir, 'b'), '--token-file', file]);
    expect((await started(fromFile)).token).toBe('token-from-a-private-file');
    expect(fromFile.stderr()).not.toContain('token-from-a-private-file');
    await stop(fromFile);

    fs.chmodSync(file, 0o644);
    const readable = await run(['serve', '--port', '0', '--data-dir', path.join(dir, 'c'), '--token-file', file]).exited;
    expect(readable.code).toBe(2);
    expect(readable.stderr).toContain(`--token-file ${file} has mode 0644`);
    expect(readable.stderr).toContain(`chmod 600 ${file}`);
    const folder = await run(['serve', '--port', '0', '--data-dir', path.join(dir, 'c'), '--token-file', dir]).exited;
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is not a regular file');
    const both = await run(['serve', '--port', '0', '--data-dir', path.join(dir, 'c'), '--token', 'a-valid-token-0123456', '--token-file', file]).exited;
    expect(both.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'c'))).toBe(false);
  });
});

describe('one Paddock per data folder', () => {
  it('a second serve, and db migrate, refuse with exit 3 naming the first; db status still reads; the lock goes at exit', async () => {
    const dir = fresh();
    const first = run(['serve', '--port', '0', '--data-dir', dir]);
    const link = await started(first);
    const second = await run(['serve', '--port', '0', '--data-dir', dir]).exited;
    expect(second.code).toBe(3);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain(`pid ${first.proc.pid} (paddock serve)`);
    expect(second.stderr).toContain('running since');
    const migrate = await run(['db', 'migrate', '--data-dir', dir]).exited;
    expect(migrate.code).toBe(3);
    expect(migrate.stderr).toContain(`pid ${first.proc.pid}`);
    expect((await run(['db', 'rollback', '--data-dir', dir, '--json']).exited).code).toBe(3);
    expect((await run(['db', 'status', '--data-dir', dir]).exited).code).toBe(0);
    const client = await connect(link.port, link.token); // the first one is unharmed
    expect(await client.call('agents.list')).toMatchObject({ ok: true });
    client.close();
    expect(await stop(first)).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.includes('lock'))).toEqual([]);
  });

  it('refuses before opening the database (a live holder and a broken database file: exit 3, not a database error)', async () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'paddock.db'), 'not a database at all, and long enough to have a header');
    const holder = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] });
    procs.push(holder);
    await new Promise((resolve) => holder.once('spawn', resolve));
    const record = { app: 'paddock', pid: holder.pid, startTime: processStartTime(holder.pid!), hostname: os.hostname(), command: 'paddock serve', since: '2020-01-01T00:00:00.000Z', nonce: 'x' };
    fs.writeFileSync(path.join(dir, 'paddock.db.lock'), JSON.stringify(record));
    const r = await run(['serve', '--port', '0', '--data-dir', dir]).exited;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`pid ${holder.pid} (paddock serve), running since 2020-01-01T00:00:00.000Z`);
  });

  it('two serves started at once on one folder: one runs, the other exits 3; a SIGKILLed one leaves a lock that is taken over', async () => {
    const dir = fresh();
    const a = run(['serve', '--port', '0', '--data-dir', dir]);
    const b = run(['serve', '--port', '0', '--data-dir', dir]);
    const lines = await Promise.all([a.line, b.line]);
    expect(lines.filter((l) => l !== null)).toHaveLength(1);
    const [winner, loser] = lines[0] !== null ? [a, b] : [b, a];
    expect((await loser.exited).code).toBe(3);
    const gone = new Promise((resolve) => winner.proc.once('exit', resolve));
    winner.proc.kill('SIGKILL');
    await gone;
    expect(fs.existsSync(path.join(dir, 'paddock.db.lock'))).toBe(true);
    const next = run(['serve', '--port', '0', '--data-dir', dir]);
    await started(next);
    expect(await stop(next)).toBe(0);
  });
});

describe('start-up as a newcomer finds it', () => {
  it('says on stderr where the data lives; stdout is the one link line', async () => {
    const dir = fresh();
    const s = run(['serve', '--port', '0', '--data-dir', dir]);
    await started(s);
    expect(s.stderr()).toContain(`using database ${path.join(dir, 'paddock.db')}`);
    const r = await (stop(s), s.exited);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('the default folder is the one db uses too, and both say so', async () => {
    const home = fresh();
    const env = { XDG_CONFIG_HOME: path.join(home, 'config'), HOME: home, APPDATA: path.join(home, 'config') };
    const s = run(['serve', '--port', '0'], env);
    await started(s);
    await stop(s);
    const expected = process.platform === 'darwin' ? path.join(home, 'Library', 'Application Support', 'Paddock') : path.join(home, 'config', 'Paddock');
    expect(s.stderr()).toContain(`using database ${path.join(expected, 'paddock.db')} (the default data folder)`);
    const status = await run(['db', 'status', '--json'], env).exited;
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, pending: [] });
    expect(status.stderr).toContain(`using database ${path.join(expected, 'paddock.db')} (the default data folder)`);
  });

  it('--db takes a plain path; a --db in a missing folder is an error and creates nothing', async () => {
    const dir = fresh();
    const file = path.join(dir, 'my.db');
    const s = run(['serve', '--port', '0', '--db', file]);
    await started(s);
    expect(await stop(s)).toBe(0);
    expect(fs.existsSync(file)).toBe(true);
    const missing = await run(['serve', '--port', '0', '--db', path.join(dir, 'nope', 'x.db')]).exited;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`the folder of --db ${path.join(dir, 'nope', 'x.db')} does not exist`);
    expect(fs.existsSync(path.join(dir, 'nope'))).toBe(false);
  });

  it('a --data-dir that is a file is a clear error', async () => {
    const file = path.join(fresh(), 'a-file');
    fs.writeFileSync(file, 'x');
    const r = await run(['serve', '--port', '0', '--data-dir', file]).exited;
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`paddock serve: --data-dir ${file} is not a folder\n`);
  });

  it('a port in use: exits with a clear message, without opening (or creating) the database', async () => {
    const dir = fresh();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      // It used to open the database and the runtime first, and then wait out the runtime's 10 s
      // stop timer on the way out. Now the port is bound before anything else is opened, so
      // nothing is there to wait for (no wall-clock bound here: on a loaded machine, starting
      // node alone can take seconds).
      const r = await run(['serve', '--port', String(port), '--data-dir', dir]).exited;
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`paddock serve: port ${port} on 127.0.0.1 is already in use`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(path.join(dir, 'paddock.db'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'paddock.db.lock'))).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
