// The runtime through the app's dispatcher: the core with the runtime plugin, a real migrated
// database in a temp data dir, the provider test server, contract events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, LogNode, SessionWithConfig } from '../../shared/domain';
import type { Envelope } from '../../shared/ipc';
import type { Provider, ProviderTestResult } from '../../shared/ipc/channels/providers';
import { createPaddockCore, type PaddockCore } from '../core';
import type { IpcLogger } from '../ipc/errors';
import { SECRETS_FILE } from './setup';
import { startProviderServer, type ProviderServer } from './testing/providerServer';

const quietLogger: IpcLogger = { error: () => {}, warn: () => {} };
let core: PaddockCore | undefined;
let server: ProviderServer | undefined;
let dataDir: string;

afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function open(): Promise<PaddockCore> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-rt-'));
  core = await createPaddockCore({ dataDir, host: 'browser', logger: quietLogger, runtime: { maxRetries: 0 } });
  return core;
}

async function call<T>(channel: string, payload?: unknown): Promise<T> {
  const result: Envelope = await core!.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

describe('providers.* through the dispatcher', () => {
  it('saves a key into the 0600 key file beside the database and never returns it', async () => {
    server = await startProviderServer({ apiKey: 'sk-secret-123', models: ['m-a', 'm-b'] });
    await open();
    const saved = await call<Provider>('providers.save', { name: 'Local', kind: 'openai-compatible', baseURL: server.baseURL, apiKey: 'sk-secret-123', models: [{ id: 'm-a', price: { input: 1, output: 2 } }] });
    expect(saved.hasKey).toBe(true);
    expect(JSON.stringify(saved)).not.toContain('sk-secret-123');
    const list = await call<Provider[]>('providers.list');
    expect(JSON.stringify(list)).not.toContain('sk-secret-123');
    expect(list[0]).toMatchObject({ name: 'Local', hasKey: true, models: [{ id: 'm-a', contextWindow: null, price: { input: 1, output: 2, cachedInput: null, reasoning: null } }] });
    const keyFile = path.join(dataDir, SECRETS_FILE);
    expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    // Not in the database file either.
    await core!.logWriter.flush();
    expect(fs.readFileSync(path.join(dataDir, 'paddock.db')).includes('sk-secret-123')).toBe(false);

    expect(await call<ProviderTestResult>('providers.test', { id: saved.id })).toMatchObject({ ok: true, models: ['m-a', 'm-b'] });
    expect(await call<string[]>('providers.models', { id: saved.id })).toEqual(['m-a', 'm-b']);
    // A draft with a wrong key reports the provider's answer instead of throwing.
    const bad = await call<ProviderTestResult>('providers.test', { draft: { kind: 'openai-compatible', baseURL: server.baseURL, apiKey: 'nope' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/401.*API key/);

    // Saving without apiKey keeps the key; null removes it.
    expect((await call<Provider>('providers.save', { id: saved.id, name: 'Local 2', kind: 'openai-compatible', baseURL: server.baseURL })).hasKey).toBe(true);
    expect((await call<Provider>('providers.save', { id: saved.id, name: 'Local 2', kind: 'openai-compatible', baseURL: server.baseURL, apiKey: null })).hasKey).toBe(false);
    await call('providers.remove', { id: saved.id });
    expect(await call<Provider[]>('providers.list')).toEqual([]);
  });

  it('validates input with readable errors', async () => {
    await open();
    const r = await core!.dispatch('providers.save', { name: 'x', kind: 'openai-compatible' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/base URL/);
    const dup = { name: 'Same', kind: 'openai' as const };
    await call('providers.save', dup);
    const again = await core!.dispatch('providers.save', dup);
    expect(!again.ok && again.error.code).toBe('CONFLICT');
  });
});

describe('sessions.start through the dispatcher', () => {
  it('runs an agent end to end and pushes live events', async () => {
    server = await startProviderServer({ apiKey: 'k' });
    await open();
    const events: { event: string; payload: unknown }[] = [];
    core!.subscribe((event, payload) => events.push({ event, payload }));
    const provider = await call<Provider>('providers.save', { name: 'P', kind: 'anthropic', baseURL: server.baseURL, apiKey: 'k' });
    const agent = await call<Agent>('agents.create', { name: 'Runner', model: `${provider.id}:claude-test` });
    const session = await call<SessionWithConfig>('sessions.create', { agentId: agent.id });
    server.push({ parts: [{ type: 'text', text: 'Hello from the runtime' }] });
    await call('sessions.start', { sessionId: session.id, message: 'hi' });
    for (;;) {
      const s = await call<SessionWithConfig>('sessions.get', { id: session.id });
      if (s.status !== 'running') {
        expect(s.status).toBe('completed');
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const tree = await call<LogNode[]>('logs.tree', { sessionId: session.id });
    expect(tree.map((n) => n.kind)).toEqual(['user_message', 'assistant_message']);
    expect(tree[1]!.content).toBe('Hello from the runtime');
    const names = new Set(events.map((e) => e.event));
    expect(names).toContain('sessions.statusChanged');
    expect(names).toContain('sessions.usage');
    expect([...names].some((n) => n.startsWith('logs.'))).toBe(true);
    // A bad request is a typed error, not a crash.
    const bad = await core!.dispatch('sessions.approve', { nodeId: 'not-a-uuid' });
    expect(!bad.ok && bad.error.code).toBe('VALIDATION');
  });
});
