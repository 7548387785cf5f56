// The core end to end through its dispatcher: real migrated database in a temp folder, real
// services and repositories, the log writer's commits arriving as contract events.
import { describe, expect, it } from 'vitest';
import type { Agent, SessionWithConfig } from '../shared/domain';
import type { AgentExport, SessionExport } from '../shared/ipc';
import type { PaddockCore } from './core';
import { call, coreTestKit, failure } from './testing';

const { openCore } = coreTestKit();

function withoutExportedAt<T extends { exportedAt: string }>(doc: T): Omit<T, 'exportedAt'> {
  const { exportedAt: _at, ...rest } = doc;
  return rest;
}

describe('agents through the core', () => {
  it('keeps the trash rules and versions', async () => {
    const core = await openCore();
    const events: unknown[] = [];
    core.subscribe((event, payload) => events.push([event, payload]));
    const agent = await call<Agent>(core, 'agents.create', { name: 'Researcher', instructions: 'Be brief.' });
    const updated = await call<Agent>(core, 'agents.update', { id: agent.id, patch: { maxSteps: 9 }, expectedVersion: 1 });
    expect(updated.version).toBe(2);
    expect(await failure(core, 'agents.update', { id: agent.id, patch: { maxSteps: 10 }, expectedVersion: 1 })).toMatchObject({ code: 'CONFLICT' });
    expect((await call<unknown[]>(core, 'agents.versions', { id: agent.id })).length).toBe(2);
    expect(await failure(core, 'agents.purge', { id: agent.id })).toMatchObject({ code: 'CONFLICT' });
    await call(core, 'agents.remove', { id: agent.id });
    expect((await call<{ items: Agent[] }>(core, 'agents.list', { deleted: 'only' })).items.map((a) => a.id)).toEqual([agent.id]);
    expect((await call<{ items: Agent[] }>(core, 'agents.list')).items).toEqual([]);
    await call(core, 'agents.restore', { id: agent.id });
    const copy = await call<Agent>(core, 'agents.duplicate', { id: agent.id });
    expect(copy.name).toBe('Researcher (copy)');
    await call(core, 'agents.remove', { id: copy.id });
    expect(await call(core, 'agents.purge', { id: copy.id })).toEqual({ id: copy.id, sessionsDeleted: 0 });
    expect(await failure(core, 'agents.get', { id: copy.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(events.map((e) => (e as [string, { change: string }])[1].change)).toEqual([
      'created', 'updated', 'removed', 'restored', 'created', 'removed', 'purged',
    ]);
  });

  it('exports and imports an agent exactly, as a copy when it already exists', async () => {
    const core = await openCore();
    const agent = await call<Agent>(core, 'agents.create', { name: 'Writer', settings: { temperature: 0.2 } });
    await call(core, 'agents.update', { id: agent.id, patch: { instructions: 'Write well.' } });
    const exported = await call<AgentExport>(core, 'agents.export', { id: agent.id });
    expect(exported).toMatchObject({ format: 'paddock.agent', version: 1 });
    expect(exported.versions.map((v) => v.version)).toEqual([1, 2]);

    const elsewhere = await openCore();
    const imported = await call<Agent>(elsewhere, 'agents.import', { data: JSON.parse(JSON.stringify(exported)) });
    expect(imported).toEqual(exported.agent);
    expect(withoutExportedAt(await call<AgentExport>(elsewhere, 'agents.export', { id: agent.id }))).toEqual(withoutExportedAt(exported));

    expect(await failure(elsewhere, 'agents.import', { data: exported, onConflict: 'error' })).toMatchObject({ code: 'CONFLICT' });
    const copy = await call<Agent>(elsewhere, 'agents.import', { data: exported });
    expect(copy.id).not.toBe(agent.id);
    expect(copy.version).toBe(2);
    expect(await failure(elsewhere, 'agents.import', { data: { ...exported, format: 'something.else' } })).toMatchObject({ code: 'VALIDATION' });
  });
});

describe('agent session counts through the core', () => {
  it('counts each agent\'s sessions outside the trash, for every agent or the listed ones, and validates the list', async () => {
    const core = await openCore();
    const a = await call<Agent>(core, 'agents.create', { name: 'A' });
    const b = await call<Agent>(core, 'agents.create', { name: 'B' });
    const kept = await call<SessionWithConfig>(core, 'sessions.create', { agentId: a.id });
    await call(core, 'sessions.create', { agentId: a.id });
    const trashed = await call<SessionWithConfig>(core, 'sessions.create', { agentId: a.id });
    await call(core, 'sessions.archive', { id: kept.id });
    await call(core, 'sessions.remove', { id: trashed.id });
    expect(await call(core, 'agents.sessionCounts', {})).toEqual([{ agentId: a.id, sessions: 2 }]);
    expect(await call(core, 'agents.sessionCounts', { agentIds: [b.id, a.id] })).toEqual([{ agentId: b.id, sessions: 0 }, { agentId: a.id, sessions: 2 }]);
    expect(await failure(core, 'agents.sessionCounts', { agentIds: [''] })).toMatchObject({ code: 'VALIDATION' });
    expect(await failure(core, 'agents.sessionCounts', { agentIds: Array.from({ length: 501 }, (_, i) => `a${i}`) })).toMatchObject({ code: 'VALIDATION' });
    expect(await failure(core, 'agents.sessionCounts', { other: 1 })).toMatchObject({ code: 'VALIDATION' });
  });
});

describe('sessions and logs through the core', () => {
  async function sessionWithLog(core: PaddockCore) {
    const agent = await call<Agent>(core, 'agents.create', { name: 'Coder' });
    const session = await call<SessionWithConfig>(core, 'sessions.create', { agentId: agent.id, goal: 'Fix the bug' });
    const w = core.logWriter;
    const user = w.startNode({ sessionId: session.id, kind: 'user_message', role: 'user', status: 'complete', content: 'Please fix it' });
    const answer = w.startNode({ sessionId: session.id, kind: 'assistant_message', role: 'assistant', parentId: user });
    w.appendDelta(answer, 'Looking ');
    w.appendDelta(answer, 'at it');
    await w.flush();
    w.appendDelta(answer, ' now.');
    w.finishNode(answer, { status: 'complete', tokensIn: 10, tokensOut: 4 });
    await w.flush();
    return { agent, session, user, answer };
  }

  it('publishes writer commits as appended / updated events with text deltas', async () => {
    const core = await openCore();
    const events: Array<[string, Record<string, unknown>]> = [];
    core.subscribe((event, payload) => events.push([event, payload as Record<string, unknown>]));
    const { session, answer } = await sessionWithLog(core);
    const appended = events.filter(([e]) => e === 'logs.appended').flatMap(([, p]) => p.nodes as Array<{ kind: string }>);
    expect(appended.map((n) => n.kind)).toEqual(['user_message', 'assistant_message']);
    type Update = { nodeId: string; textDelta?: string; changes?: { status?: string } };
    const updates = events.filter(([e]) => e === 'logs.updated').flatMap(([, p]) => p.updates as Update[]);
    const text = updates.filter((u) => u.nodeId === answer && u.textDelta).map((u) => u.textDelta).join('');
    expect(text).toBe('Looking at it now.');
    expect(updates.some((u) => u.nodeId === answer && u.changes?.status === 'complete')).toBe(true);
    const tree = await call<Array<{ content: string }>>(core, 'logs.tree', { sessionId: session.id });
    expect(tree.map((n) => n.content)).toEqual(['Please fix it', 'Looking at it now.']);
    const hits = await call<Array<{ nodeId: string }>>(core, 'logs.search', { query: 'looking', sessionId: session.id });
    expect(hits.map((h) => h.nodeId)).toEqual([answer]);
    expect((await call<unknown[]>(core, 'logs.chunks', { nodeId: answer })).length).toBeGreaterThanOrEqual(2);
  });

  it('emits statusChanged for transitions made through the service', async () => {
    const core = await openCore();
    const { session } = await sessionWithLog(core);
    const seen: unknown[] = [];
    core.subscribe((event, payload) => event === 'sessions.statusChanged' && seen.push(payload));
    await core.services.sessions.transition(session.id, 'running');
    expect(seen).toEqual([expect.objectContaining({ sessionId: session.id, from: 'idle', to: 'running' })]);
  });

  it('sessions.update sets, refuses a duplicate of, and clears the external id', async () => {
    const core = await openCore();
    const { session } = await sessionWithLog(core);
    const other = await call<SessionWithConfig>(core, 'sessions.create', { agentId: session.agentId, externalId: 'run-7' });
    const set = await call<SessionWithConfig>(core, 'sessions.update', { id: session.id, patch: { externalId: 'run-8' } });
    expect(set.externalId).toBe('run-8');
    expect((await failure(core, 'sessions.update', { id: session.id, patch: { externalId: 'run-7' } })).code).toBe('CONFLICT');
    expect((await failure(core, 'sessions.update', { id: session.id, patch: { externalId: '' } })).code).toBe('VALIDATION');
    const cleared = await call<SessionWithConfig>(core, 'sessions.update', { id: session.id, patch: { externalId: null } });
    expect(cleared.externalId).toBeNull();
    expect(other.externalId).toBe('run-7');
  });

  it('round-trips a session export exactly, into the same and into a fresh database', async () => {
    const core = await openCore();
    const { session } = await sessionWithLog(core);
    await call(core, 'sessions.update', { id: session.id, patch: { overrides: { maxSteps: 3 } } });
    const exported = await call<SessionExport>(core, 'sessions.export', { id: session.id });
    expect(exported.nodes).toHaveLength(2);
    expect(exported.chunks.length).toBeGreaterThanOrEqual(2);
    expect(exported.session.overrides).toEqual({ maxSteps: 3 });

    const fresh = await openCore();
    const imported = await call<SessionWithConfig>(fresh, 'sessions.import', { data: JSON.parse(JSON.stringify(exported)) });
    expect(imported.id).toBe(session.id);
    expect(imported.effectiveConfig.maxSteps).toBe(3);
    expect(withoutExportedAt(await call<SessionExport>(fresh, 'sessions.export', { id: session.id }))).toEqual(withoutExportedAt(exported));

    // Same database: the session exists, so the import is a copy with fresh ids and the same content.
    const copy = await call<SessionWithConfig>(core, 'sessions.import', { data: exported });
    expect(copy.id).not.toBe(session.id);
    const copied = await call<SessionExport>(core, 'sessions.export', { id: copy.id });
    expect(copied.nodes.map((n) => n.content)).toEqual(exported.nodes.map((n) => n.content));
    expect(copied.chunks.map((c) => c.text)).toEqual(exported.chunks.map((c) => c.text));
    expect(copied.session.agentVersionId).toBe(exported.session.agentVersionId);

    // Purged and re-imported into the same database: exact again.
    await call(core, 'sessions.remove', { id: session.id });
    await call(core, 'sessions.purge', { id: session.id });
    await call(core, 'sessions.import', { data: exported });
    expect(withoutExportedAt(await call<SessionExport>(core, 'sessions.export', { id: session.id }))).toEqual(withoutExportedAt(exported));
  });

  it('refuses inconsistent session files without leaving anything behind', async () => {
    const core = await openCore();
    const { session } = await sessionWithLog(core);
    const exported = await call<SessionExport>(core, 'sessions.export', { id: session.id });
    const fresh = await openCore();
    const orphan = { ...exported, nodes: exported.nodes.map((n, i) => (i === 1 ? { ...n, parentId: '01900000-0000-7000-8000-00000000abcd' } : n)) };
    expect(await failure(fresh, 'sessions.import', { data: orphan })).toMatchObject({ code: 'VALIDATION' });
    expect((await call<{ items: unknown[] }>(fresh, 'agents.list', { deleted: 'include' })).items).toEqual([]);
    expect((await call<{ items: unknown[] }>(fresh, 'sessions.list', { deleted: 'include', archived: 'include' })).items).toEqual([]);
    const stray = { ...exported, chunks: [{ nodeId: '01900000-0000-7000-8000-00000000abcd', seq: 0, text: 'x', atMs: 0 }] };
    expect(await failure(fresh, 'sessions.import', { data: stray })).toMatchObject({ code: 'VALIDATION' });
  });

  it('reports database status and app info', async () => {
    const core = await openCore();
    expect(await call(core, 'db.status')).toMatchObject({ location: 'file', pending: 0, problems: [], drift: false });
    expect(await call(core, 'app.info')).toMatchObject({ name: 'Paddock', host: 'browser' });
  });
});
