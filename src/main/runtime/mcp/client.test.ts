import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { McpServerConfig } from '../../../shared/ipc/channels/runtime';
import { EVERYTHING_SERVER_ENTRY as everything } from '../testing/everythingServer';
import { PathSandbox } from '../tools/sandbox';
import { executeTool } from '../tools';
import { connectMcpServer, McpPool, mcpToolName, type McpConnection } from './client';

// The real reference server from the npm registry (a devDependency), not a fake.

function config(name: string, spec: McpServerConfig['spec'], readOnlyTools: string[] = []): McpServerConfig {
  const now = new Date().toISOString();
  return { id: `01900000-0000-7000-8000-00000000000${name.length}`, name, spec, readOnlyTools, enabled: true, approved: true, createdAt: now, updatedAt: now };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function exercise(conn: McpConnection) {
  const names = conn.tools.map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum']));
  const echo = conn.toolDefs.find((t) => t.name === mcpToolName(conn.config.name, 'echo'))!;
  expect(echo.effect).toBe('execute');
  expect(echo.jsonSchema).toMatchObject({ type: 'object' });
  const ctx = { sandbox: await PathSandbox.create([]), signal: new AbortController().signal };
  const r = await executeTool(echo, { message: 'hello mcp' }, ctx);
  expect(r.isError).toBeFalsy();
  expect(r.text).toContain('hello mcp');
  const sum = conn.toolDefs.find((t) => t.name.endsWith('get-sum'))!;
  expect((await executeTool(sum, { a: 2, b: 40 }, ctx)).text).toContain('42');
  // Arguments the server rejects come back as an error result, not a crash.
  const bad = await executeTool(sum, { a: 'x' }, ctx);
  expect(bad.isError).toBe(true);
}

describe('MCP over stdio (server-everything)', () => {
  let conn: McpConnection;
  beforeAll(async () => {
    conn = await connectMcpServer(config('everything', { transport: 'stdio', command: process.execPath, args: [everything, 'stdio'], env: {}, cwd: null }, ['get-sum']));
  });
  afterAll(async () => conn?.close());

  it('lists and calls tools', async () => {
    await exercise(conn);
    expect(conn.toolDefs.find((t) => t.name.endsWith('get-sum'))!.effect).toBe('read');
  });

  it('a stop cancels a long-running tool call promptly', async () => {
    const long = conn.toolDefs.find((t) => t.name.endsWith('trigger-long-running-operation'))!;
    const ac = new AbortController();
    const p = executeTool(long, { duration: 30, steps: 30 }, { sandbox: await PathSandbox.create([]), signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    const r = await p;
    expect(r.isError).toBe(true);
  });
});

describe('MCP over streamable HTTP (server-everything)', () => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/mcp`;
    child = spawn(process.execPath, [everything, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const onData = (b: Buffer) => {
        if (/listening/i.test(b.toString())) resolve();
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
  });
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('lists and calls tools; the pool reuses the connection', async () => {
    const pool = new McpPool();
    const cfg = config('http-everything', { transport: 'http', url, headers: {} });
    const a = await pool.get(cfg);
    await exercise(a);
    expect(await pool.get(cfg)).toBe(a);
    await pool.closeAll();
  });

  it('an unreachable server is a readable error', async () => {
    const port = await freePort();
    await expect(connectMcpServer(config('nope', { transport: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: {} }))).rejects.toThrow(/Could not connect to MCP server "nope"/);
  });
});
