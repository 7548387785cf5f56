// Test helpers for the browser host: bundle the real CLI once, spawn `paddock serve` as a real
// process, and talk to it with a real WebSocket client. Test-only.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { bundleForNode } from '../../../scripts/bundle-node.mjs';
import { WS_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX, type Envelope, type WireMessage } from '../../shared/ipc';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Bundles src/main/cli/index.ts like scripts/build-cli.mjs does, into a folder inside the repo
 * (so the external packages resolve from node_modules), plus a runner script.
 */
export async function buildCli(): Promise<{ runner: string; cleanup(): void }> {
  const dir = fs.mkdtempSync(path.join(repoRoot, 'node_modules', '.paddock-test-'));
  await bundleForNode(path.join(repoRoot, 'src', 'main', 'cli', 'index.ts'), path.join(dir, 'cli.mjs'), { logLevel: 'error' });
  const runner = path.join(dir, 'run.mjs');
  fs.writeFileSync(runner, "import { runCli } from './cli.mjs';\nawait runCli(process.argv.slice(2));\n");
  return { runner, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface ServeProcess {
  proc: ChildProcess;
  line: string;
  port: number;
  token: string;
  dataDir: string;
  stderr: () => string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startServe(runner: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-serve-'));
  const rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Paddock test renderer</title>');
  const proc = spawn(process.execPath, [runner, 'serve', '--data-dir', dataDir, '--port', '0', ...args], {
    env: { ...process.env, PADDOCK_RENDERER_DIR: rendererDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve(stdout.slice(0, newline));
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const match = /^Paddock is running at http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)$/.exec(line);
  if (!match) throw new Error(`unexpected first line: ${line}`);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    line,
    port: Number(match[1]),
    token: match[2]!,
    dataDir,
    stderr: () => stderr,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const code = await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(rendererDir, { recursive: true, force: true });
      return code;
    },
  };
}

export interface Client {
  ws: WebSocket;
  call(channel: string, payload?: unknown): Promise<Envelope>;
  /** Like call, with the payload already serialized (for payloads JSON.stringify cannot produce). */
  callText(channel: string, payloadJson: string): Promise<Envelope>;
  /** Sends a raw frame and waits for the next answer with id null. */
  raw(data: string | Buffer, binary?: boolean): Promise<Envelope>;
  events: Array<{ event: string; payload: unknown }>;
  close(): void;
}

/** Opens an authenticated socket; rejects with the HTTP status when the handshake is refused. */
export function connect(port: number, token: string | null, options: { origin?: string; protocols?: string[] } = {}): Promise<Client> {
  const protocols = options.protocols ?? [WS_PROTOCOL, ...(token === null ? [] : [`${WS_TOKEN_PROTOCOL_PREFIX}${token}`])];
  const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, protocols, {
    ...(options.origin ? { origin: options.origin } : {}),
    maxPayload: 1024 * 1024 * 1024,
  });
  const pending = new Map<number, (e: Envelope) => void>();
  const rawWaiters: Array<(e: Envelope) => void> = [];
  const events: Array<{ event: string; payload: unknown }> = [];
  let nextId = 1;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as WireMessage;
    if (message.type === 'event') events.push({ event: message.event, payload: message.payload });
    else if (message.id === null) rawWaiters.shift()?.(message.result);
    else pending.get(message.id as number)?.(message.result);
  });
  return new Promise<Client>((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        events,
        call: (channel, payload) =>
          new Promise<Envelope>((done, fail) => {
            const id = nextId++;
            pending.set(id, done);
            ws.send(JSON.stringify({ id, channel, payload }), (error) => error && fail(error));
          }),
        callText: (channel, payloadJson) =>
          new Promise<Envelope>((done, fail) => {
            const id = nextId++;
            pending.set(id, done);
            ws.send(`{"id":${id},"channel":${JSON.stringify(channel)},"payload":${payloadJson}}`, (error) => error && fail(error));
          }),
        raw: (data, binary = false) =>
          new Promise<Envelope>((done) => {
            rawWaiters.push(done);
            ws.send(data, { binary });
          }),
        close: () => ws.close(),
      }),
    );
  });
}
