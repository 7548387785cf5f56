// Imports of other tools' transcripts from the fixture files (documented shape and a realistic
// multi-tool-call transcript per format) into a real database.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogNode } from '../../../shared/domain.js';
import { PaddockError } from '../../../shared/ipc/result.js';
import { FIXTURES, openInterchangeDb, type InterchangeTestDb } from '../testing.js';
import type { ImportFormat } from '../types.js';
import { runImport } from './index.js';

let db: InterchangeTestDb;
beforeEach(async () => {
  db = await openInterchangeDb();
});
afterEach(async () => {
  await db.close();
});

const fixture = (...p: string[]) => path.join(FIXTURES, ...p);

async function importFixture(file: string, format?: ImportFormat) {
  const r = await runImport(db.importDeps, { path: file }, format ? { format } : {});
  const nodes = await db.logs.tree(r.sessionId);
  return { r, nodes, session: await db.sessions.get(r.sessionId), source: await db.interchange.source(r.sessionId) };
}

function byKind(nodes: LogNode[], kind: LogNode['kind']): LogNode[] {
  return nodes.filter((n) => n.kind === kind);
}

function parentOf(nodes: LogNode[], n: LogNode): LogNode | undefined {
  return nodes.find((p) => p.id === n.parentId);
}

describe('Claude Code session files', () => {
  it('imports a multi-tool session: turns, steps, thinking, paired results, the Task sidechain under its call', async () => {
    const { r, nodes, session, source } = await importFixture(fixture('claude-code', 'multi-tool-session.jsonl'));
    expect(r.format).toBe('claude-code');
    expect(session.name).toBe('Fix failing forecast parser test');
    expect(source).toMatchObject({ format: 'claude-code', sourceId: '7f3c9a2e-5b1d-4c8e-9f00-2a6b8d4e1c33', metadata: { cwd: '/home/dana/projects/weather-cli', gitBranch: 'main' } });
    const roots = nodes.filter((n) => n.parentId === null);
    expect(roots.map((n) => n.kind)).toEqual(['user_message', 'user_message']);
    expect(roots[0]!.startedAt).toBe('2025-11-20T09:14:02.101Z');
    // One step per message.id; its blocks (thinking, text, tool_use) become its content and children.
    const first = nodes.find((n) => n.metadata.messageId === 'msg_01A')!;
    expect(first.content).toBe("I'll run the failing test to see the error.");
    expect(first.tokensIn).toBe(12 + 4210 + 11020);
    expect(first.metadata.tokensCached).toBe(11020);
    expect(byKind(nodes, 'thought')[0]!.parentId).toBe(first.id);
    // Every tool call has its result below it, caused by it.
    const actions = byKind(nodes, 'action');
    expect(actions.map((a) => a.toolName)).toEqual(['Bash', 'Read', 'Task', 'Grep', 'Edit', 'Bash']);
    for (const a of actions) {
      const results = nodes.filter((o) => o.kind === 'observation' && o.causeId === a.id);
      expect(results, a.toolName!).toHaveLength(1);
      expect(results[0]!.parentId).toBe(a.id);
    }
    const bash = actions[0]!;
    expect(bash.status).toBe('error');
    expect(bash.durationMs).toBe(Date.parse('2025-11-20T09:14:09.870Z') - Date.parse('2025-11-20T09:14:06.455Z'));
    // The sidechain: a user_message under the Task action, with the sub-agent's own Grep call.
    const task = actions[2]!;
    const sub = nodes.find((n) => n.kind === 'user_message' && n.parentId === task.id)!;
    expect(sub.content).toMatch(/^Look at tests\/fixtures\/forecast.json/);
    expect(sub.metadata.subagent).toMatchObject({ toolCallId: 'toolu_01Task', name: 'Explore' });
    const grep = actions[3]!;
    expect(parentOf(nodes, parentOf(nodes, grep)!)!.id).toBe(sub.id);
    expect(session.startedAt).toBe('2025-11-20T09:14:02.101Z');
    expect(session.endedAt).toBe('2025-11-20T09:15:44.100Z');
  });

  it('imports the documented minimal shape', async () => {
    const { nodes } = await importFixture(fixture('claude-code', 'documented-shape.jsonl'));
    expect(nodes.map((n) => [n.kind, n.content])).toEqual([['user_message', 'What is 2+2?'], ['assistant_message', '4']]);
    expect(nodes[1]!.model).toBe('claude-opus-4-1-20250805');
  });
  it('a transcript holding half of a surrogate pair imports with U+FFFD in its place and reads back (the driver would abort the process)', async () => {
    const src = fs.readFileSync(fixture('claude-code', 'documented-shape.jsonl'), 'utf8')
      .replace('What is 2+2?', 'What is \\ud83d 2+2?')
      .replace('"text":"4"', '"text":"4 \\ude00"')
      .replace('"cwd":"/tmp/demo"', '"cwd":"/tmp/\\ud83d"');
    const file = path.join(db.dir, 'lone-half.jsonl');
    fs.writeFileSync(file, src);
    const { nodes, source } = await importFixture(file);
    expect(nodes.map((n) => n.content)).toEqual(['What is \uFFFD 2+2?', '4 \uFFFD']);
    expect(source?.metadata).toMatchObject({ cwd: '/tmp/\uFFFD' });
  });
});

describe('Codex CLI rollouts', () => {
  it('imports a rollout: injected context as system, reasoning, paired calls (function and custom), usage from token_count', async () => {
    const file = fixture('codex', 'rollout-2025-11-21T14-02-10-019a6c2e-7d4b-7a10-b2f3-5c1e9d0a4b77.jsonl');
    const { nodes, session, source } = await importFixture(file);
    expect(source).toMatchObject({ format: 'codex', sourceId: '019a6c2e-7d4b-7a10-b2f3-5c1e9d0a4b77', metadata: { cwd: '/home/sam/src/todo-api', cli_version: '0.58.0' } });
    expect(session.name).toBe('Add a `done` filter to GET /todos and a test for it.');
    const roots = nodes.filter((n) => n.parentId === null);
    expect(roots.map((n) => n.kind)).toEqual(['system', 'user_message']);
    const actions = byKind(nodes, 'action');
    expect(actions.map((a) => a.toolName)).toEqual(['shell', 'apply_patch', 'shell']);
    expect(actions[0]!.toolArgs).toEqual({ command: ['bash', '-lc', 'rg -n "todos" src'], workdir: '/home/sam/src/todo-api' });
    for (const a of actions) expect(nodes.filter((o) => o.causeId === a.id && o.kind === 'observation')).toHaveLength(1);
    const steps = byKind(nodes, 'assistant_message');
    expect(steps.at(-1)!.content).toMatch(/^Added `\?done=true\|false`/);
    expect(steps.reduce((s, n) => s + n.tokensIn, 0)).toBe(23270);
    expect(session.tokensIn).toBe(23270);
    expect(byKind(nodes, 'thought').map((t) => t.content)[0]).toBe('**Locating the todos route**');
    expect(steps.every((s) => s.model === 'gpt-5-codex')).toBe(true);
  });

  it('imports the documented minimal shape', async () => {
    const { nodes } = await importFixture(fixture('codex', 'documented-shape.jsonl'));
    expect(nodes.map((n) => n.kind)).toEqual(['user_message', 'assistant_message', 'thought']);
    expect(nodes[1]!.content).toBe('4');
  });
});

describe('AG-UI event streams', () => {
  it('imports a run: reasoning, streamed args, results, a sub-agent under its spawning call', async () => {
    const { nodes, source } = await importFixture(fixture('ag-ui', 'multi-tool-run.jsonl'));
    expect(source).toMatchObject({ format: 'ag-ui', sourceId: 'thread_trip_42', metadata: { skippedEvents: { STATE_SNAPSHOT: 1, CUSTOM: 1 } } });
    const weather = nodes.find((n) => n.toolName === 'get_weather' && n.kind === 'action')!;
    expect(weather.toolArgs).toEqual({ city: 'Lisbon', date: '2025-11-22' });
    expect(nodes.find((n) => n.kind === 'thought')!.content).toBe('Weather decides indoor vs outdoor; call get_weather, then search places.');
    const scout = nodes.find((n) => n.toolName === 'delegate_to_scout' && n.kind === 'action')!;
    const sub = nodes.find((n) => n.kind === 'user_message' && n.parentId === scout.id)!;
    expect(sub.content).toBe('indoor morning options near Baixa');
    const search = nodes.find((n) => n.toolName === 'search_places' && n.kind === 'action')!;
    expect(parentOf(nodes, parentOf(nodes, search)!)!.id).toBe(sub.id);
    expect(nodes.find((n) => n.kind === 'assistant_message' && n.content.startsWith('MUDE opens'))!.content).toBe('MUDE opens at 10:00; the archaeology tour needs booking.');
    expect(nodes.filter((n) => n.kind === 'observation')).toHaveLength(3);
    expect(nodes[0]!.startedAt).toBe('2025-11-21T11:00:00.005Z');
  });

  it('imports the documented minimal shape (no timestamps)', async () => {
    const { nodes } = await importFixture(fixture('ag-ui', 'documented-shape.jsonl'));
    expect(nodes.map((n) => [n.kind, n.content])).toEqual([['user_message', 'Hi'], ['assistant_message', 'Hello!']]);
  });
});

describe('OpenTelemetry GenAI spans (OTLP JSON)', () => {
  it('imports spans written out of order into invoke_agent > chat > execute_tool', async () => {
    const { nodes, source } = await importFixture(fixture('otlp', 'genai-agent-trace.otlp.jsonl'));
    expect(source).toMatchObject({ format: 'otlp', sourceId: 'conv_7781' });
    expect(nodes.map((n) => [n.depth, n.kind, n.toolName])).toEqual([
      [0, 'user_message', null],
      [1, 'assistant_message', null],
      [2, 'thought', null],
      [2, 'action', 'get_weather'],
      [3, 'observation', 'get_weather'],
      [2, 'action', 'get_time'],
      [3, 'observation', 'get_time'],
      [1, 'assistant_message', null],
    ]);
    expect(nodes[0]!.content).toBe('Do I need an umbrella in Lisbon right now?');
    expect(nodes[1]).toMatchObject({ model: 'gpt-4.1-2025-04-14', provider: 'openai', tokensIn: 812, tokensOut: 64 });
    expect(nodes[1]!.metadata.otel).toMatchObject({ attributes: { 'server.address': 'api.openai.com' } });
    expect(nodes[3]!.toolArgs).toEqual({ city: 'Lisbon' });
  });

  it('imports a pretty-printed single document (documented shape)', async () => {
    const { nodes } = await importFixture(fixture('otlp', 'documented-shape.json'));
    expect(nodes.map((n) => [n.kind, n.content])).toEqual([['user_message', 'Say hi'], ['assistant_message', 'Hi!']]);
  });
});

describe('import is all-or-nothing with typed errors', () => {
  const broken: [ImportFormat, string][] = [
    ['claude-code', fixture('claude-code', 'multi-tool-session.jsonl')],
    ['codex', fixture('codex', 'rollout-2025-11-21T14-02-10-019a6c2e-7d4b-7a10-b2f3-5c1e9d0a4b77.jsonl')],
    ['ag-ui', fixture('ag-ui', 'multi-tool-run.jsonl')],
  ];
  it.each(broken)('a malformed line of a %s file names its line and leaves nothing behind', async (format, file) => {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[9] = '{"type": "user", "oops"';
    const err = await runImport(db.importDeps, { text: lines.join('\n') }, { format }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaddockError);
    expect((err as PaddockError).code).toBe('VALIDATION');
    expect((err as PaddockError).message).toMatch(/^Line 10: not valid JSON/);
    expect((err as PaddockError).details).toMatchObject({ line: 10, format });
    const counts = await db.client.execute('SELECT (SELECT count(*) FROM sessions) AS s, (SELECT count(*) FROM log_nodes) AS n, (SELECT count(*) FROM agents) AS a, (SELECT count(*) FROM session_sources) AS src');
    expect(counts.rows[0]).toMatchObject({ s: 0, n: 0, a: 0, src: 0 });
  });

  it('a second import of the same foreign session is a CONFLICT unless asked for', async () => {
    const file = fixture('claude-code', 'documented-shape.jsonl');
    const first = await runImport(db.importDeps, { path: file });
    const again = await runImport(db.importDeps, { path: file }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'CONFLICT', details: { sessionId: first.sessionId } });
    const third = await runImport(db.importDeps, { path: file }, { allowDuplicate: true });
    expect(third.agentId).toBe(first.agentId);
    expect(third.createdAgent).toBe(false);
  });

  it('a cancelled import keeps nothing', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const err = await runImport(db.importDeps, { path: fixture('codex', 'documented-shape.jsonl') }, { signal: ctl.signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT', details: { cancelled: true } });
    const counts = await db.client.execute('SELECT (SELECT count(*) FROM sessions) AS s, (SELECT count(*) FROM agents) AS a');
    expect(counts.rows[0]).toMatchObject({ s: 0, a: 0 });
  });

  it('the holder agent cannot act: no model, no tools, read-only', async () => {
    const { r } = await importFixture(fixture('claude-code', 'documented-shape.jsonl'));
    const agent = await db.agents.get(r.agentId);
    expect(agent).toMatchObject({ model: null, builtinTools: [], mcpServers: [], accessiblePaths: [], permissionMode: 'readOnly', schedule: null });
  });
});
