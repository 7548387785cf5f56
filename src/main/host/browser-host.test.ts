// `paddock serve` as a real process: the one printed line, the token and Origin gates, a
// request round trip, static files, a 100,000-node import over the socket, graceful shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Agent, LogNode, SessionWithConfig } from '../../shared/domain';
import { EXPORT_FORMAT_VERSION, SESSION_EXPORT_FORMAT, type SessionExport } from '../../shared/ipc';
import { buildCli, connect, startServe, type ServeProcess } from './testing';

let cli: Awaited<ReturnType<typeof buildCli>>;
let serve: ServeProcess;

beforeAll(async () => {
  cli = await buildCli();
  serve = await startServe(cli.runner);
});

afterAll(async () => {
  await serve?.stop();
  cli?.cleanup();
});

describe('paddock serve', () => {
  it('prints exactly one line with the address and a fresh token', async () => {
    expect(serve.line).toMatch(/^Paddock is running at http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{32}$/);
    const other = await startServe(cli.runner);
    try {
      expect(other.token).not.toBe(serve.token);
    } finally {
      await other.stop();
    }
  });

  it('uses --token when given and refuses a malformed one', async () => {
    const fixed = await startServe(cli.runner, ['--token', 'fixed-token-for-tests-0123']);
    try {
      expect(fixed.token).toBe('fixed-token-for-tests-0123');
    } finally {
      await fixed.stop();
    }
    await expect(startServe(cli.runner, ['--token', 'bad token'])).rejects.toThrow(/exited with 2/);
  });

  it('refuses a socket without the token or with a wrong one', async () => {
    await expect(connect(serve.port, null)).rejects.toMatchObject({ status: 401 });
    await expect(connect(serve.port, `${serve.token}x`)).rejects.toMatchObject({ status: 401 });
    await expect(connect(serve.port, serve.token.slice(0, -1))).rejects.toMatchObject({ status: 401 });
    await expect(connect(serve.port, 'A'.repeat(serve.token.length))).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a foreign Origin even with the right token, accepts its own', async () => {
    await expect(connect(serve.port, serve.token, { origin: 'http://evil.example' })).rejects.toMatchObject({ status: 403 });
    await expect(connect(serve.port, serve.token, { origin: `http://evil.example:${serve.port}` })).rejects.toMatchObject({ status: 403 });
    await expect(connect(serve.port, serve.token, { origin: 'null' })).rejects.toMatchObject({ status: 403 });
    const own = await connect(serve.port, serve.token, { origin: `http://127.0.0.1:${serve.port}` });
    own.close();
    const localhost = await connect(serve.port, serve.token, { origin: `http://localhost:${serve.port}` });
    localhost.close();
  });

  it('round-trips requests and pushes events', async () => {
    const client = await connect(serve.port, serve.token);
    try {
      const created = await client.call('agents.create', { name: 'Over the wire' });
      expect(created).toMatchObject({ ok: true, data: { name: 'Over the wire', version: 1 } });
      const agent = (created as { data: Agent }).data;
      expect(await client.call('agents.get', { id: agent.id })).toEqual({ ok: true, data: agent });
      expect(await client.call('agents.get', { id: uuidv7() })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await client.call('agents.get', { id: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(client.events).toContainEqual({ event: 'agents.changed', payload: { agentId: agent.id, change: 'created' } });
    } finally {
      client.close();
    }
  });

  it('serves the renderer without a token and no API over plain HTTP', async () => {
    const page = await fetch(`http://127.0.0.1:${serve.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('Paddock test renderer');
    expect((await fetch(`http://127.0.0.1:${serve.port}/some/route`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${serve.port}/missing.js`)).status).toBe(404);
    // Encoded slashes survive URL normalisation and reach the server as a traversal attempt.
    expect((await fetch(`http://127.0.0.1:${serve.port}/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(403);
    expect(await (await fetch(`http://127.0.0.1:${serve.port}/%2e%2e/%2e%2e/etc/passwd`)).text()).not.toContain('root:');
    expect((await fetch(`http://127.0.0.1:${serve.port}/ws`, { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('imports a 100,000-node session through the socket', async () => {
    const client = await connect(serve.port, serve.token);
    try {
      const agent = ((await client.call('agents.create', { name: 'Big' })) as { data: Agent }).data;
      const seed = ((await client.call('sessions.create', { agentId: agent.id })) as { data: SessionWithConfig }).data;
      const template = ((await client.call('sessions.export', { id: seed.id })) as { data: SessionExport }).data;
      const sessionId = uuidv7();
      const at = new Date().toISOString();
      const nodes: LogNode[] = [];
      // 1,000 turns of 100 nodes: a user message, an assistant reply with 98 tool steps under it.
      for (let turn = 0; turn < 1_000; turn += 1) {
        const root = uuidv7();
        nodes.push(makeNode(root, sessionId, null, turn, 0, 'user_message', `question ${turn}`, at));
        for (let step = 0; step < 99; step += 1) {
          nodes.push(makeNode(uuidv7(), sessionId, root, step, 1, step % 2 ? 'observation' : 'action', `step ${turn}.${step}`, at));
        }
      }
      const data: SessionExport = {
        format: SESSION_EXPORT_FORMAT,
        version: EXPORT_FORMAT_VERSION,
        exportedAt: at,
        session: { ...template.session, id: sessionId, name: 'Big import' },
        agent: template.agent,
        nodes,
        chunks: [],
      };
      const result = await client.call('sessions.import', { data });
      expect(result).toMatchObject({ ok: true, data: { id: sessionId } });
      expect(await client.call('logs.count', { sessionId })).toEqual({ ok: true, data: 100_000 });
      // Too big to send whole: only its size comes back, and the window pages it.
      expect(await client.call('logs.whole', { sessionId, maxNodes: 5_000, maxBytes: 16_000_000 })).toEqual({ ok: true, data: { count: 100_000, nodes: null } });
      const page = await client.call('logs.page', { sessionId, limit: 1000 });
      expect(page).toMatchObject({ ok: true, data: { items: expect.any(Array), nextCursor: expect.any(String) } });
    } finally {
      client.close();
    }
    // Generous: this moves ~60 MB through JSON, zod and SQLite; the suite may share the CPU.
  }, 240_000);

  it('shuts down cleanly on SIGTERM and keeps the data', async () => {
    const own = await startServe(cli.runner);
    const client = await connect(own.port, own.token);
    await client.call('agents.create', { name: 'Survivor' });
    client.close();
    const dataDir = own.dataDir;
    own.proc.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => own.proc.once('exit', resolve));
    expect(code).toBe(0);
    const again = await startServe(cli.runner, ['--data-dir', dataDir]);
    try {
      const second = await connect(again.port, again.token);
      const list = await second.call('agents.list');
      second.close();
      expect(list).toMatchObject({ ok: true, data: { items: [expect.objectContaining({ name: 'Survivor' })] } });
    } finally {
      await again.stop();
      await own.stop();
    }
  });
});

function makeNode(id: string, sessionId: string, parentId: string | null, seq: number, depth: number, kind: LogNode['kind'], content: string, at: string): LogNode {
  return {
    id, sessionId, parentId, causeId: null, seq, depth, kind,
    role: kind === 'user_message' ? 'user' : kind === 'observation' ? 'tool' : 'assistant',
    status: 'complete', content, metadata: {}, model: null, provider: null,
    tokensIn: 1, tokensOut: 2, tokensReasoning: 0, costUsd: 0, startedAt: at, endedAt: at,
    toolName: kind === 'action' ? 'read_file' : null, toolArgs: kind === 'action' ? { path: 'a.txt' } : null,
    toolResult: null, durationMs: 1, childCount: 0,
  };
}
