// Claude Code sub-agent transcripts kept beside the session file (<session>/subagents/agent-<id>.jsonl):
// merged under the Task call whose result names them, from the fixture made from that layout.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogNode } from '../../../shared/domain.js';
import { PaddockError } from '../../../shared/ipc/result.js';
import { FIXTURES, openInterchangeDb, type InterchangeTestDb } from '../testing.js';
import { isAgentId, spawnedAgentId, subagentsDirOf } from './claude-subagents.js';
import { runImport } from './index.js';

let db: InterchangeTestDb;
beforeEach(async () => {
  db = await openInterchangeDb();
});
afterEach(async () => {
  await db.close();
});

const SESSION_FILE = path.join(FIXTURES, 'claude-code', 'with-subagents.jsonl');

function under(nodes: LogNode[], parent: LogNode): LogNode[] {
  return nodes.filter((n) => n.parentId === parent.id);
}

/** Copies the fixture (session file and companion folder) into `dir`. */
function copyFixture(dir: string): string {
  const file = path.join(dir, 'with-subagents.jsonl');
  fs.copyFileSync(SESSION_FILE, file);
  fs.cpSync(path.join(FIXTURES, 'claude-code', 'with-subagents'), path.join(dir, 'with-subagents'), { recursive: true });
  return file;
}

describe('Claude Code sub-agent files', () => {
  it('merges each sub-agent transcript under the Task call that spawned it, before its result', async () => {
    const r = await runImport(db.importDeps, { path: SESSION_FILE });
    const nodes = await db.logs.tree(r.sessionId);
    const tasks = nodes.filter((n) => n.kind === 'action' && n.toolName === 'Task');
    expect(tasks).toHaveLength(2);

    const [explore, general] = tasks as [LogNode, LogNode];
    const kids = under(nodes, explore);
    // The sub-agent's prompt starts its turn under the call; the call's result comes after it.
    expect(kids.map((k) => k.kind)).toEqual(['user_message', 'observation']);
    const prompt = kids[0]!;
    expect(prompt.content).toBe('Find where forecast temperatures are converted between units and report file and function.');
    expect(prompt.metadata.subagent).toMatchObject({ agentId: 'a5c8e21f09b7d4e36', file: 'agent-a5c8e21f09b7d4e36.jsonl', toolCallId: 'toolu_T1', name: 'Explore', meta: { description: 'Find unit conversion' } });
    expect(kids[1]!.causeId).toBe(explore.id);

    // Inside: steps per message id, thinking, tool calls paired with their results.
    const steps = under(nodes, prompt);
    expect(steps.map((s) => s.metadata.messageId)).toEqual(['msg_A1', 'msg_A2', 'msg_A3']);
    expect(steps[0]!.model).toBe('claude-haiku-4-5');
    expect(steps[2]!.content).toBe('Conversion happens in src/units.py, function to_celsius().');
    expect(under(nodes, steps[0]!).map((n) => n.kind)).toEqual(['thought', 'action']);
    const grep = under(nodes, steps[0]!)[1]!;
    expect(grep.toolName).toBe('Grep');
    expect(under(nodes, grep).map((n) => [n.kind, n.causeId])).toEqual([['observation', grep.id]]);
    expect(under(nodes, grep)[0]!.content).toContain('def to_celsius');

    // The second turn's sub-agent (no meta file) sits under its own call.
    const second = under(nodes, general);
    expect(second.map((k) => k.kind)).toEqual(['user_message', 'observation']);
    expect(second[0]!.metadata.subagent).toMatchObject({ agentId: 'b71d0e4c2a9f83165', name: 'general-purpose' });
    expect(nodes.filter((n) => (n.metadata.subagent as { agentId?: string } | undefined)?.agentId === 'b71d0e4c2a9f83165')).toHaveLength(5);

    // Usage of sub-agent steps counts in the session; a transcript no result names is reported, compaction is not.
    expect(r.nodes).toBe(nodes.length);
    const source = await db.interchange.source(r.sessionId);
    expect(source?.metadata.subagentFilesNotMerged).toEqual(['agent-c0ffee0000000001.jsonl']);
    expect(nodes.some((n) => n.content === 'Unrelated.' || n.content === 'Summarise the conversation so far.')).toBe(false);
    const session = await db.sessions.get(r.sessionId);
    expect(session.name).toBe('Find where forecast units are converted');
    expect(session.tokensOut).toBe(nodes.reduce((a, n) => a + n.tokensOut, 0));
  });

  it('imports the session alone when its companion folder is missing or the file came as text', async () => {
    const dir = fs.mkdtempSync(path.join(db.dir, 'alone-'));
    const file = path.join(dir, 'with-subagents.jsonl');
    fs.copyFileSync(SESSION_FILE, file);
    const alone = await runImport(db.importDeps, { path: file });
    const nodes = await db.logs.tree(alone.sessionId);
    expect(nodes.filter((n) => n.metadata.subagent !== undefined)).toEqual([]);
    const asText = await runImport(db.importDeps, { text: fs.readFileSync(SESSION_FILE, 'utf8') }, { format: 'claude-code', allowDuplicate: true });
    expect(asText.nodes).toBe(alone.nodes);
  });

  it('a malformed line in a sub-agent file fails the whole import, naming the file and line', async () => {
    const file = copyFixture(fs.mkdtempSync(path.join(db.dir, 'bad-')));
    const sub = path.join(subagentsDirOf(file), 'agent-b71d0e4c2a9f83165.jsonl');
    fs.appendFileSync(sub, '{"type":"assistant", oops\n');
    const before = (await db.client.execute('SELECT count(*) AS c FROM log_nodes')).rows[0]!.c;
    const err = await runImport(db.importDeps, { path: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaddockError);
    expect((err as PaddockError).message).toMatch(/^Line 5: agent-b71d0e4c2a9f83165\.jsonl: not valid JSON/);
    expect((await db.client.execute('SELECT count(*) AS c FROM log_nodes')).rows[0]!.c).toBe(before);
  });

  it('never reads outside the companion folder, whatever id a result names', async () => {
    for (const bad of ['../with-subagents', 'a/b', '..', '.hidden/../x', 'x\\y', '']) expect(isAgentId(bad), bad).toBe(false);
    expect(isAgentId('a5c8e21f09b7d4e36')).toBe(true);
    expect(isAgentId('researcher@git-integration')).toBe(true);
    expect(spawnedAgentId({ agentId: 'abc' }, '')).toBe('abc');
    expect(spawnedAgentId(undefined, 'done\nagentId: f00d (use SendMessage …)')).toBe('f00d');
    expect(spawnedAgentId(undefined, 'no agent here')).toBeNull();

    // A result pointing outside the folder merges nothing.
    const dir = fs.mkdtempSync(path.join(db.dir, 'escape-'));
    const file = copyFixture(dir);
    fs.writeFileSync(path.join(dir, 'with-subagents', 'agent-x.jsonl'), fs.readFileSync(path.join(subagentsDirOf(file), 'agent-b71d0e4c2a9f83165.jsonl')));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('b71d0e4c2a9f83165', '../x'));
    const r = await runImport(db.importDeps, { path: file });
    const nodes = await db.logs.tree(r.sessionId);
    const general = nodes.filter((n) => n.kind === 'action' && n.toolName === 'Task')[1]!;
    expect(under(nodes, general).map((k) => k.kind)).toEqual(['observation']);
  });
});
