// SIGKILL the real `paddock serve` process at several points of a run (mid answer text, mid
// tool-call arguments, while a call waits for approval). At the next start the database passes
// integrity_check, the session is interrupted (or still waiting, for an approval) with all the
// text the socket had shown kept, and resume / approve continues it to completion.
// runner.crash.test.ts covers the same at the runtime level; this one goes through the bundled
// CLI, the core's start-up sweep and the WebSocket, as a user of the browser host would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, LogNode, SessionStatus, SessionWithConfig } from '../../shared/domain';
import type { Envelope } from '../../shared/ipc';
import type { Provider, ProviderKind } from '../../shared/ipc/channels/providers';
import { DATABASE_FILE } from '../core';
import { startProviderServer, type ProviderServer, type ScriptTurn } from '../runtime/testing/providerServer';
import { buildCli, connect, startServe, type Client, type ServeProcess } from './testing';

const API_KEY = 'sk-host-crash';
const story = 'Once upon a time a small agent streamed its words one by one into a log tree, and a crash could not take any of them away. '.repeat(8);

let cli: Awaited<ReturnType<typeof buildCli>>;
let server: ProviderServer;
let workDir: string;
/** Everything a test started, stopped in afterEach (later starts first). */
let started: ServeProcess[] = [];
let clients: Client[] = [];

beforeAll(async () => {
  // Bundled fresh from the sources (testing.ts's buildCli), so a stale dist/ never matters.
  cli = await buildCli();
  server = await startProviderServer({ apiKey: API_KEY });
  workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-host-crash-')));
});

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  for (const s of started.reverse()) await s.stop();
  started = [];
});

afterAll(async () => {
  await server?.close();
  cli?.cleanup();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

type WireEvent = { event: string; payload: unknown };

/** Resolves with the first event (already received or still to come) that `match` accepts. */
function waitForEvent(client: Client, match: (e: WireEvent) => boolean, what: string, limitMs = 15_000): Promise<WireEvent> {
  const found = client.events.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const onMessage = () => {
      // testing.ts's own listener ran first (registered first), so the event is in the list.
      const hit = client.events.find(match);
      if (!hit) return;
      cleanup();
      resolve(hit);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(client.events.map((e) => e.event))}`));
    }, limitMs);
    const cleanup = () => {
      clearTimeout(timer);
      client.ws.off('message', onMessage);
    };
    client.ws.on('message', onMessage);
  });
}

function statusEvent(sessionId: string, to: SessionStatus) {
  return (e: WireEvent) => {
    const p = e.payload as { sessionId?: string; to?: string };
    return e.event === 'sessions.statusChanged' && p.sessionId === sessionId && p.to === to;
  };
}

async function call<T>(client: Client, channel: string, payload?: unknown): Promise<T> {
  const result: Envelope = await client.call(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result)}`);
  return result.data as T;
}

async function serve(args: string[] = []): Promise<{ host: ServeProcess; client: Client }> {
  const host = await startServe(cli.runner, args);
  started.push(host);
  const client = await connect(host.port, host.token);
  clients.push(client);
  return { host, client };
}

/**
 * Text the socket showed for one node, from `logs.updated` deltas. The core publishes a commit
 * only after the writer's transaction committed, so all of it must survive a SIGKILL.
 */
function seenText(client: Client, nodeId: string): string {
  let text = '';
  for (const e of client.events) {
    if (e.event !== 'logs.updated') continue;
    for (const u of (e.payload as { updates: Array<{ nodeId: string; textDelta?: string }> }).updates) {
      if (u.nodeId === nodeId && u.textDelta) text += u.textDelta;
    }
  }
  return text;
}

function appendedNode(client: Client, sessionId: string, kind: LogNode['kind']): LogNode | undefined {
  for (const e of client.events) {
    if (e.event !== 'logs.appended') continue;
    const p = e.payload as { sessionId: string; nodes: LogNode[] };
    if (p.sessionId !== sessionId) continue;
    const node = p.nodes.find((n) => n.kind === kind);
    if (node) return node;
  }
  return undefined;
}

/**
 * The streamed text a node keeps: its content, or for a tool call its arguments — the sweep folds
 * an action's streamed chunks into tool_args, as a JSON string while they do not parse yet.
 */
function keptText(node: LogNode): string {
  if (node.kind !== 'action') return node.content;
  expect(typeof node.toolArgs).toBe('string');
  return node.toolArgs as string;
}

async function killHard(host: ServeProcess): Promise<void> {
  const gone = new Promise<NodeJS.Signals | null>((resolve) => host.proc.once('exit', (_code, signal) => resolve(signal)));
  process.kill(host.proc.pid!, 'SIGKILL');
  expect(await gone).toBe('SIGKILL');
}

/** What the next start sees first: the file as the dead process left it (WAL replayed). */
async function expectIntegrity(dataDir: string): Promise<void> {
  const db = createClient({ url: `file:${path.join(dataDir, DATABASE_FILE)}`, intMode: 'number' });
  try {
    expect((await db.execute('PRAGMA integrity_check')).rows.map((r) => r[0])).toEqual(['ok']);
  } finally {
    db.close();
  }
}

/** A provider and an agent on a fresh host; the session's first message starts the run. */
async function prepare(client: Client, kind: ProviderKind, agent: Record<string, unknown>): Promise<string> {
  const provider = await call<Provider>(client, 'providers.save', { name: `crash ${kind}`, kind, baseURL: server.baseURL, apiKey: API_KEY });
  const created = await call<Agent>(client, 'agents.create', { name: `crash ${kind}`, model: `${provider.id}:test-model`, accessiblePaths: [workDir], ...agent });
  const session = await call<SessionWithConfig>(client, 'sessions.create', { agentId: created.id });
  return session.id;
}

interface StreamPoint {
  name: string;
  kind: ProviderKind;
  turn: ScriptTurn;
  /** The node whose text is streaming when the host is killed. */
  streamingKind: LogNode['kind'];
  /** Kill once the socket has shown this many characters of that node's text. */
  killAfterChars: number;
  /** The whole text that node would have had. */
  fullText: string;
  extra?: (tree: LogNode[]) => void;
}

const toolArgs = { path: 'never-written.txt', content: story };
// `hang` keeps the stream open after the parts, so the kill is always mid-stream however slow
// the machine is; the delay spreads the parts over a few seconds.
const streamPoints: StreamPoint[] = [
  {
    name: 'at the first text delta',
    kind: 'openai-compatible',
    turn: { parts: [{ type: 'text', text: story }], delayMs: 4, chunkSize: 3, hang: true },
    streamingKind: 'assistant_message',
    killAfterChars: 1,
    fullText: story,
  },
  {
    name: 'mid assistant text',
    kind: 'openai-compatible',
    turn: { parts: [{ type: 'text', text: story }], delayMs: 4, chunkSize: 3, hang: true },
    streamingKind: 'assistant_message',
    killAfterChars: 120,
    fullText: story,
  },
  {
    name: 'mid tool-call arguments (Anthropic wire)',
    kind: 'anthropic',
    turn: { parts: [{ type: 'text', text: 'Writing.' }, { type: 'tool_call', name: 'write_file', args: toolArgs }], delayMs: 4, chunkSize: 3, hang: true },
    streamingKind: 'action',
    killAfterChars: 60,
    fullText: JSON.stringify(toolArgs),
    extra: (tree) => {
      expect(tree.find((n) => n.kind === 'assistant_message')).toMatchObject({ status: 'interrupted', content: 'Writing.' });
    },
  },
];

describe('paddock serve killed with SIGKILL mid-run', () => {
  for (const point of streamPoints) {
    it(`${point.name}: integrity ok, interrupted with the partial text, resume completes`, async () => {
      const first = await serve();
      const sessionId = await prepare(first.client, point.kind, { permissionMode: 'bypassPermissions', builtinTools: ['write_file'] });
      server.push(point.turn);
      await call(first.client, 'sessions.start', { sessionId, message: 'go' });

      // The kill point: enough of the node's text has come through the socket.
      await waitForEvent(
        first.client,
        () => {
          const node = appendedNode(first.client, sessionId, point.streamingKind);
          return !!node && seenText(first.client, node.id).length >= point.killAfterChars;
        },
        `${point.killAfterChars} characters of the ${point.streamingKind}`,
      );
      await killHard(first.host);
      const nodeId = appendedNode(first.client, sessionId, point.streamingKind)!.id;
      const seen = seenText(first.client, nodeId);

      await expectIntegrity(first.host.dataDir);

      const second = await serve(['--data-dir', first.host.dataDir]);
      const session = await call<SessionWithConfig>(second.client, 'sessions.get', { id: sessionId });
      expect(session.status).toBe('interrupted');
      const tree = await call<LogNode[]>(second.client, 'logs.tree', { sessionId });
      const partial = tree.find((n) => n.id === nodeId)!;
      expect(partial).toMatchObject({ kind: point.streamingKind, status: 'interrupted', metadata: expect.objectContaining({ interruptedFrom: 'streaming' }) });
      const kept = keptText(partial);
      // Nothing the user saw is lost, nothing invented, and the kill really was mid-stream.
      expect(kept.startsWith(seen)).toBe(true);
      expect(point.fullText.startsWith(kept)).toBe(true);
      expect(kept.length).toBeLessThan(point.fullText.length);
      point.extra?.(tree);

      const finalText = `Resumed and finished after ${point.name}.`;
      server.push({ parts: [{ type: 'text', text: finalText }] });
      const before = server.requests.length;
      await call(second.client, 'sessions.resume', { id: sessionId });
      await waitForEvent(second.client, statusEvent(sessionId, 'completed'), 'the resumed run to complete');
      expect((await call<SessionWithConfig>(second.client, 'sessions.get', { id: sessionId })).status).toBe('completed');
      const after = await call<LogNode[]>(second.client, 'logs.tree', { sessionId });
      expect(after.filter((n) => n.kind === 'assistant_message').at(-1)).toMatchObject({ status: 'complete', content: finalText });
      // The interrupted node is kept as it was, and the model was sent the stored conversation.
      const keptAfter = after.find((n) => n.id === nodeId)!;
      expect(keptAfter.status).toBe('interrupted');
      expect(keptText(keptAfter)).toBe(kept);
      const sent = JSON.stringify(server.requests[before]!.body);
      expect(sent).toContain('"go"');
      // The interrupted answer goes back to the model as stored (for the tool-call point, its text).
      const storedAnswer = point.streamingKind === 'action' ? 'Writing.' : kept;
      expect(sent).toContain(JSON.stringify(storedAnswer).slice(1, -1));
      expect(fs.existsSync(path.join(workDir, 'never-written.txt'))).toBe(false);
    });
  }

  it('while a tool call waits for approval: still waiting after the restart, approving runs it and completes', async () => {
    const first = await serve();
    const sessionId = await prepare(first.client, 'openai-compatible', { permissionMode: 'ask', builtinTools: ['write_file'] });
    const args = { path: 'approved-after-crash.txt', content: 'written after a SIGKILL' };
    server.push({ parts: [{ type: 'text', text: 'I will write the file.' }, { type: 'tool_call', name: 'write_file', args }] });
    await call(first.client, 'sessions.start', { sessionId, message: 'write it' });

    // The session says it waits: that status and the question are committed.
    await waitForEvent(first.client, statusEvent(sessionId, 'waiting_for_user_input'), 'the session to wait for approval');
    await killHard(first.host);

    await expectIntegrity(first.host.dataDir);

    const second = await serve(['--data-dir', first.host.dataDir]);
    // The start-up sweep interrupts only running sessions: a pending approval survives a restart.
    expect((await call<SessionWithConfig>(second.client, 'sessions.get', { id: sessionId })).status).toBe('waiting_for_user_input');
    const tree = await call<LogNode[]>(second.client, 'logs.tree', { sessionId });
    expect(tree.find((n) => n.kind === 'assistant_message')).toMatchObject({ content: 'I will write the file.' });
    const action = tree.find((n) => n.kind === 'action')!;
    expect(action).toMatchObject({ toolName: 'write_file', toolArgs: args, metadata: expect.objectContaining({ interruptedFrom: 'pending_approval' }) });
    expect(fs.existsSync(path.join(workDir, args.path))).toBe(false);

    const finalText = 'The file is written, after the crash.';
    server.push({ parts: [{ type: 'text', text: finalText }] });
    await call(second.client, 'sessions.approve', { nodeId: action.id, scope: 'once' });
    await waitForEvent(second.client, statusEvent(sessionId, 'completed'), 'the approved run to complete');
    expect(fs.readFileSync(path.join(workDir, args.path), 'utf8')).toBe(args.content);
    const after = await call<LogNode[]>(second.client, 'logs.tree', { sessionId });
    expect(after.filter((n) => n.kind === 'assistant_message').at(-1)).toMatchObject({ status: 'complete', content: finalText });
    // The answer after the restart re-issues the call (caused by the waiting one) and runs it.
    expect(after.find((n) => n.kind === 'action' && n.causeId === action.id)).toMatchObject({ status: 'complete', toolName: 'write_file', toolArgs: args });
    expect(after.find((n) => n.kind === 'observation')).toMatchObject({ status: 'complete', content: expect.stringContaining(args.path) });
  });
});
