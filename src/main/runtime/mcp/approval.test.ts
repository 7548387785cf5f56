// Starting a stdio MCP server is an action: it runs a command on this machine. The server is
// the real reference server, started through a wrapper that leaves a marker file when it runs,
// so "was never spawned" is checked on the file system, not on a flag.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/ipc';
import type { McpServerConfig, McpServerSpec, McpToolInfo } from '../../../shared/ipc/channels/runtime';
import { createPaddockCore, type PaddockCore } from '../../core';
import type { IpcLogger } from '../../ipc/errors';
import { EVERYTHING_SERVER_ENTRY } from '../testing/everythingServer';
import { createHarness, type Harness } from '../testing/harness';

const quiet: IpcLogger = { error: () => {}, warn: () => {} };
let core: PaddockCore | undefined;
let h: Harness | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await core?.close();
  await h?.cleanup();
  core = undefined;
  h = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A stdio spec that writes `marker` the moment its process starts, then serves MCP. */
type StdioSpec = Extract<McpServerSpec, { transport: 'stdio' }>;

function markedSpec(): { spec: StdioSpec; marker: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-mcp-approval-'));
  dirs.push(dir);
  const wrapper = path.join(dir, 'wrapper.mjs');
  fs.writeFileSync(wrapper, "import fs from 'node:fs';\nfs.writeFileSync(process.env.MARKER, 'started');\nawait import(process.env.ENTRY);\n");
  const marker = path.join(dir, 'spawned');
  // Imported as a URL, so a Windows path works too.
  const entry = pathToFileURL(EVERYTHING_SERVER_ENTRY).href;
  return { spec: { transport: 'stdio', command: process.execPath, args: [wrapper, 'stdio'], env: { MARKER: marker, ENTRY: entry }, cwd: null }, marker };
}

async function dispatch(channel: string, payload?: unknown): Promise<Envelope> {
  return core!.dispatch(channel, payload);
}

async function call<T>(channel: string, payload?: unknown): Promise<T> {
  const result = await dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

describe('stdio MCP servers need approval', () => {
  it('is never spawned before approval, works after it, and an edit of the command withdraws it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-mcp-core-'));
    dirs.push(dataDir);
    core = await createPaddockCore({ dataDir, host: 'browser', logger: quiet, runtime: { maxRetries: 0, scheduler: false } });
    const { spec, marker } = markedSpec();

    const saved = await call<McpServerConfig>('runtime.mcpSave', { name: 'marked', spec });
    expect(saved.approved).toBe(false);
    const refused = await dispatch('runtime.mcpTools', { id: saved.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'MCP_NOT_APPROVED' } } });
    expect(!refused.ok && refused.error.message).toMatch(/not been approved/);
    expect(fs.existsSync(marker)).toBe(false);

    // Approving something other than what is stored (an edit happened since the user looked) is refused.
    const other = await dispatch('runtime.mcpApprove', { id: saved.id, spec: { ...spec, args: [...spec.args, '--evil'] } });
    expect(other).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await call<McpServerConfig[]>('runtime.mcpList'))[0]!.approved).toBe(false);

    const approved = await call<McpServerConfig>('runtime.mcpApprove', { id: saved.id, spec });
    expect(approved.approved).toBe(true);
    const tools = await call<McpToolInfo[]>('runtime.mcpTools', { id: saved.id });
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo']));
    expect(fs.readFileSync(marker, 'utf8')).toBe('started');

    // Renaming keeps the approval; changing the env (or command, args, cwd) withdraws it.
    const renamed = await call<McpServerConfig>('runtime.mcpSave', { id: saved.id, name: 'marked2', spec });
    expect(renamed.approved).toBe(true);
    fs.rmSync(marker);
    const edited = await call<McpServerConfig>('runtime.mcpSave', { id: saved.id, name: 'marked2', spec: { ...spec, env: { ...spec.env, EXTRA: '1' } } });
    expect(edited.approved).toBe(false);
    expect(await dispatch('runtime.mcpTools', { id: saved.id })).toMatchObject({ ok: false, error: { details: { reason: 'MCP_NOT_APPROVED' } } });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('a run that lists an unapproved server does not start it and logs why', async () => {
    h = await createHarness();
    const { spec, marker } = markedSpec();
    await h.mcpServers.save({ name: 'marked', spec, readOnlyTools: [], enabled: true });
    const session = await h.newSession({ mcpServers: ['marked'] });
    h.server.push({ parts: [{ type: 'text', text: 'Done without it.' }] });
    await h.runtime.start({ sessionId: session.id, message: 'Use your tools.' });
    expect((await h.waitForStatus(session.id, 'completed', 'failed')).status).toBe('completed');
    const errorNode = (await h.tree(session.id)).find((n) => n.kind === 'system' && n.status === 'error');
    expect(errorNode).toMatchObject({ metadata: { mcpServer: 'marked' } });
    expect(errorNode!.content).toMatch(/MCP server "marked" was not started: its command has not been approved/);
    expect(fs.existsSync(marker)).toBe(false);
    // The model was not offered any of its tools.
    expect(JSON.stringify(h.server.requests.find((q) => q.method === 'POST')!.body)).not.toContain('marked__echo');
  });
});
