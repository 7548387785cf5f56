// SIGKILL the process running a session at several points of a stream; at the next start the
// database passes integrity_check, the session is 'interrupted' with its partial output kept,
// and resume continues it. The child runs the real runtime (bundled with esbuild).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../../scripts/bundle-node.mjs';
import type { LogNode } from '../../shared/domain';
import { LogsRepository } from '../logs/repository';
import { recoverInterrupted } from '../logs/recovery';
import { LogWriter } from '../logs/writer';
import { openRepoTestDb, type RepoTestDb } from '../repositories/testing';
import { createFileSecretStore } from '../secrets/secretStore';
import { createStandaloneRuntime } from './testing/standalone';
import { ProvidersRepository } from '../repositories/providers';
import { startProviderServer, type ProviderServer, type ScriptTurn } from './testing/providerServer';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundleDir = path.resolve(here, '../../../node_modules/.cache/paddock-runtime-crash', String(process.pid));
const bundle = path.join(bundleDir, 'child.mjs');

let db: RepoTestDb;
let server: ProviderServer;
let providerId: string;
let workDir: string;
const secretsFile = () => path.join(workDir, 'secrets.json');

beforeAll(async () => {
  await bundleForNode(path.join(here, 'testing', 'crashChild.ts'), bundle, { logLevel: 'silent' });
  db = await openRepoTestDb();
  server = await startProviderServer({ apiKey: 'sk-crash' });
  workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-crash-')));
  const p = await new ProvidersRepository(db.client).save({ name: 'crash', kind: 'openai-compatible', baseURL: server.baseURL, defaultModel: null, models: [] });
  providerId = p.id;
  await createFileSecretStore(secretsFile()).set(p.id, 'sk-crash');
});

afterAll(async () => {
  await server?.close();
  await db?.db.cleanup();
  fs.rmSync(bundleDir, { recursive: true, force: true });
  fs.rmSync(workDir, { recursive: true, force: true });
});

const logs = () => new LogsRepository(db.client);

// The kill points below are states the run stays in until it is killed (the model stream hangs
// there, the command sleeps), so a slow start on a loaded machine only delays them: the limit is
// generous, and no state can be missed between two looks.
async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, limitMs = 90_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs the session in a child and SIGKILLs it once `killWhen` sees the tree in the wanted state. */
async function runAndKill(sessionId: string, killWhen: (nodes: LogNode[]) => boolean | Promise<boolean>): Promise<string> {
  const child = spawn(process.execPath, [bundle, db.db.url, sessionId, secretsFile(), 'go'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, signal) => resolve(signal)));
  try {
    await until(async () => killWhen(await logs().tree(sessionId)), 'the kill point');
  } finally {
    child.kill('SIGKILL');
  }
  expect(await closed).toBe('SIGKILL');
  return stderr;
}

const story = 'Once upon a time there was a small agent that streamed its words one by one into a log tree, never losing any. '.repeat(3);

/** Each turn stops (hangs) right after the state its kill point waits for. */
const points: { name: string; turn: ScriptTurn; killWhen: (n: LogNode[]) => boolean; expectPartial: (n: LogNode[]) => void }[] = [
  {
    name: 'mid text',
    turn: { parts: [{ type: 'text', text: story }], delayMs: 3, chunkSize: 3, hang: true },
    killWhen: (n) => (n.find((x) => x.kind === 'assistant_message')?.content.length ?? 0) > 40,
    expectPartial: (n) => {
      const a = n.find((x) => x.kind === 'assistant_message')!;
      expect(a.status).toBe('interrupted');
      expect(a.content.length).toBeGreaterThan(40);
      expect(story.startsWith(a.content)).toBe(true);
    },
  },
  {
    name: 'mid reasoning',
    turn: { parts: [{ type: 'reasoning', text: story }], delayMs: 3, chunkSize: 3, hang: true },
    killWhen: (n) => (n.find((x) => x.kind === 'thought')?.content.length ?? 0) > 30,
    expectPartial: (n) => {
      const t = n.find((x) => x.kind === 'thought')!;
      expect(t.status).toBe('interrupted');
      expect(story.startsWith(t.content)).toBe(true);
    },
  },
  {
    name: 'mid tool-call arguments',
    turn: { parts: [{ type: 'text', text: 'Writing.' }, { type: 'tool_call', name: 'write_file', args: { path: 'x.txt', content: story } }], delayMs: 3, chunkSize: 3, hang: true },
    killWhen: (n) => n.some((x) => x.kind === 'action'),
    expectPartial: (n) => {
      expect(n.find((x) => x.kind === 'assistant_message')!.content).toBe('Writing.');
      expect(n.find((x) => x.kind === 'action')!.status).toBe('interrupted');
    },
  },
  {
    name: 'while a tool runs',
    turn: { parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'sleep 30' } }] },
    killWhen: (n) => n.some((x) => x.kind === 'action' && x.status === 'running'),
    expectPartial: (n) => {
      expect(n.find((x) => x.kind === 'action')).toMatchObject({ status: 'interrupted', metadata: expect.objectContaining({ interruptedFrom: 'running' }) });
    },
  },
];

describe('crash (SIGKILL) while a call waits for approval', () => {
  // Killed once the question is recorded: either just before the session says "waiting" (it is
  // then 'interrupted' after the sweep) or after; approving works in both.
  it.each([
    ['as soon as the call is pending', false],
    ['once the session waits', true],
  ])('killed %s: approving after the next start runs the call and continues', async (_label, afterWaiting) => {
    const agent = await db.agents.create({ name: `crash approval ${afterWaiting}`, model: `${providerId}:m`, permissionMode: 'ask', accessiblePaths: [workDir], builtinTools: ['write_file'] });
    const session = await db.sessions.create({ agentId: agent.id });
    const file = `approved-after-crash-${afterWaiting}.txt`;
    server.push({ parts: [{ type: 'tool_call', name: 'write_file', args: { path: file, content: 'yes' } }] });
    await runAndKill(session.id, async (n) => {
      if (!n.some((x) => x.kind === 'action' && x.status === 'pending_approval')) return false;
      return !afterWaiting || (await db.sessions.get(session.id)).status === 'waiting_for_user_input';
    });
    const fresh = createClient({ url: db.db.url, intMode: 'number' });
    try {
      expect((await fresh.execute('PRAGMA integrity_check')).rows.map((r) => r[0])).toEqual(['ok']);
      await recoverInterrupted(fresh);
    } finally {
      fresh.close();
    }
    const status = (await db.sessions.get(session.id)).status;
    if (afterWaiting) expect(status).toBe('waiting_for_user_input');
    else expect(['waiting_for_user_input', 'interrupted']).toContain(status);
    const pending = (await logs().tree(session.id)).find((x) => x.kind === 'action')!;
    expect(pending.metadata.interruptedFrom).toBe('pending_approval');

    server.push({ parts: [{ type: 'text', text: 'Written after the crash.' }] });
    const writer = await LogWriter.open({ url: db.db.url }, { flushIntervalMs: 10 });
    const { runtime } = createStandaloneRuntime({ client: db.client, writer, secrets: createFileSecretStore(secretsFile()), maxRetries: 0 });
    try {
      await runtime.approve({ nodeId: pending.id, scope: 'once' });
      await runtime.idle(session.id);
      expect((await db.sessions.get(session.id)).status).toBe('completed');
      expect(fs.readFileSync(path.join(workDir, file), 'utf8')).toBe('yes');
    } finally {
      await runtime.close();
      await writer.close();
    }
  });
});

describe('crash (SIGKILL) mid-run', () => {
  for (const point of points) {
    it(`${point.name}: integrity ok, session interrupted with partial output, resume continues`, async () => {
      const agent = await db.agents.create({
        name: `crash ${point.name}`,
        model: `${providerId}:m`,
        permissionMode: 'bypassPermissions',
        accessiblePaths: [workDir],
        builtinTools: ['write_file', 'run_shell'],
      });
      const session = await db.sessions.create({ agentId: agent.id });
      server.push(point.turn);
      const stderr = await runAndKill(session.id, point.killWhen);
      expect(stderr).toBe('');

      // Next start: a fresh connection (WAL replayed), integrity, the start-up sweep.
      const fresh = createClient({ url: db.db.url, intMode: 'number' });
      try {
        expect((await fresh.execute('PRAGMA integrity_check')).rows.map((r) => r[0])).toEqual(['ok']);
        await recoverInterrupted(fresh);
      } finally {
        fresh.close();
      }
      expect((await db.sessions.get(session.id)).status).toBe('interrupted');
      point.expectPartial(await logs().tree(session.id));

      // Resume in "the next process".
      server.push({ parts: [{ type: 'text', text: 'Resumed and finished.' }] });
      const writer = await LogWriter.open({ url: db.db.url }, { flushIntervalMs: 10 });
      const { runtime } = createStandaloneRuntime({ client: db.client, writer, secrets: createFileSecretStore(secretsFile()), maxRetries: 0 });
      try {
        const before = server.requests.length;
        await runtime.resume(session.id);
        await runtime.idle(session.id);
        expect((await db.sessions.get(session.id)).status).toBe('completed');
        await writer.flush();
        const tree = await logs().tree(session.id);
        expect(tree.filter((x) => x.kind === 'assistant_message').at(-1)).toMatchObject({ status: 'complete', content: 'Resumed and finished.' });
        // What the model got on resume is built from what was stored before the crash.
        const sent = JSON.stringify(server.requests[before]!.body);
        expect(sent).toContain('go');
        if (point.name === 'while a tool runs') expect(sent).toContain('outcome is unknown');
      } finally {
        await runtime.close();
        await writer.close();
      }
    }, 180_000);
  }
});

describe('crash (SIGKILL) after the provider reported usage', () => {
  it('the input tokens Anthropic stated at message_start are on the turn and in the session totals after the next start', async () => {
    const p = await new ProvidersRepository(db.client).save({
      name: 'crash anthropic',
      kind: 'anthropic',
      baseURL: server.baseURL,
      defaultModel: null,
      models: [{ id: 'm', contextWindow: 200_000, price: { input: 3, output: 15, cachedInput: 3, reasoning: 15 } }],
    });
    await createFileSecretStore(secretsFile()).set(p.id, 'sk-crash');
    const agent = await db.agents.create({ name: 'crash usage', model: `${p.id}:m`, permissionMode: 'bypassPermissions', accessiblePaths: [workDir], builtinTools: [] });
    const session = await db.sessions.create({ agentId: agent.id });
    server.push({ parts: [{ type: 'text', text: story }], usage: { input: 4321, output: 50 }, delayMs: 3, chunkSize: 3, hang: true });
    await runAndKill(session.id, (n) => {
      const a = n.find((x) => x.kind === 'assistant_message');
      return !!a && a.tokensIn === 4321 && a.content.length > 20;
    });
    expect((await db.sessions.get(session.id)).tokensIn).toBe(0);

    const fresh = createClient({ url: db.db.url, intMode: 'number' });
    try {
      await recoverInterrupted(fresh);
    } finally {
      fresh.close();
    }
    const turn = (await logs().tree(session.id)).find((x) => x.kind === 'assistant_message')!;
    expect(turn).toMatchObject({ status: 'interrupted', tokensIn: 4321, metadata: expect.objectContaining({ usagePartial: true }) });
    const s = await db.sessions.get(session.id);
    expect(s.tokensIn).toBe(4321);
    expect(s.costUsd).toBeCloseTo((4321 * 3) / 1_000_000, 9);
    // A second sweep finds nothing open and counts nothing twice.
    await recoverInterrupted(db.client);
    expect((await db.sessions.get(session.id)).tokensIn).toBe(4321);
  }, 180_000);
});
