import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../shared/domain.js';
import { openRepoTestDb, type RepoTestDb } from './testing.js';
import { NOT_PER_CALL, UsageRepository } from './usage.js';

let t: RepoTestDb;
let coder: Agent;
let writer: Agent;
let usage: UsageRepository;

beforeEach(async () => {
  t = await openRepoTestDb();
  coder = await t.agents.create({ name: 'Coder', model: 'model-a' });
  writer = await t.agents.create({ name: 'Writer', model: 'model-b' });
  usage = new UsageRepository(t.client);
});
afterEach(async () => {
  await t.db.cleanup();
});

let seq = 0;
/** A model call in a session's log, as the runner records it. */
async function call(sessionId: string, model: string, provider: string, tokensIn: number, tokensOut: number, tokensReasoning: number, costUsd: number) {
  const id = `call-${++seq}`;
  await t.client.execute({
    sql: `INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, status, model, provider, tokens_in, tokens_out, tokens_reasoning, cost_usd, started_at)
          VALUES (?, ?, ?, 0, printf('%08d', ?), 'assistant_message', 'complete', ?, ?, ?, ?, ?, ?, ?)`,
    args: [id, sessionId, seq, seq, model, provider, tokensIn, tokensOut, tokensReasoning, costUsd, new Date().toISOString()],
  });
  await t.sessions.addUsage(sessionId, { tokensIn, tokensOut, tokensReasoning, costUsd });
}

async function setCreated(sessionId: string, iso: string) {
  await t.client.execute({ sql: 'UPDATE sessions SET created_at = ? WHERE id = ?', args: [iso, sessionId] });
}

describe('usage report', () => {
  it('adds up by day, agent, model and provider to the sum of the sessions', async () => {
    const a = await t.sessions.create({ agentId: coder.id });
    const b = await t.sessions.create({ agentId: writer.id });
    const imported = await t.sessions.create({ agentId: writer.id });
    await setCreated(a.id, '2026-03-01T10:00:00.000Z');
    await setCreated(b.id, '2026-03-02T10:00:00.000Z');
    await setCreated(imported.id, '2026-03-02T11:00:00.000Z');
    await call(a.id, 'model-a', 'openai', 100, 50, 20, 0.5);
    await call(a.id, 'model-b', 'anthropic', 10, 5, 0, 0.25);
    await call(b.id, 'model-b', 'anthropic', 200, 100, 0, 1);
    // Usage with no model call behind it (an imported session's totals).
    await t.sessions.addUsage(imported.id, { tokensIn: 7, tokensOut: 3, costUsd: 0.125 });

    const r = await usage.report();
    expect(r.totals).toEqual({ tokensIn: 317, tokensOut: 158, tokensReasoning: 20, costUsd: 1.875, sessions: 3 });
    const sum = (rows: typeof r.byDay) => rows.reduce((acc, x) => ({ i: acc.i + x.tokensIn, o: acc.o + x.tokensOut, c: acc.c + x.costUsd }), { i: 0, o: 0, c: 0 });
    for (const rows of [r.byDay, r.byAgent, r.byModel, r.byProvider]) expect(sum(rows)).toEqual({ i: 317, o: 158, c: 1.875 });
    expect(r.byDay.map((d) => [d.key, d.sessions])).toEqual([['2026-03-01', 1], ['2026-03-02', 2]]);
    expect(r.byAgent.find((x) => x.label === 'Writer')).toMatchObject({ tokensIn: 207, sessions: 2 });
    expect(r.byModel.find((x) => x.key === 'model-b')).toMatchObject({ tokensIn: 210, tokensOut: 105, costUsd: 1.25, sessions: 2 });
    expect(r.byProvider.find((x) => x.key === NOT_PER_CALL)).toMatchObject({ tokensIn: 7, costUsd: 0.125, sessions: 1 });
  });

  it('filters by creation day, both ends included, and leaves deleted sessions out', async () => {
    const a = await t.sessions.create({ agentId: coder.id });
    const b = await t.sessions.create({ agentId: coder.id });
    const gone = await t.sessions.create({ agentId: coder.id });
    await setCreated(a.id, '2026-03-01T23:59:59.999Z');
    await setCreated(b.id, '2026-03-03T00:00:00.000Z');
    await setCreated(gone.id, '2026-03-01T12:00:00.000Z');
    await call(a.id, 'm', 'p', 1, 1, 0, 0);
    await call(b.id, 'm', 'p', 2, 2, 0, 0);
    await call(gone.id, 'm', 'p', 4, 4, 0, 0);
    await t.sessions.delete(gone.id);
    expect((await usage.report({ from: '2026-03-01', to: '2026-03-01' })).totals.tokensIn).toBe(1);
    expect((await usage.report({ from: '2026-03-02' })).totals.tokensIn).toBe(2);
    expect((await usage.report({ to: '2026-03-02' })).byModel).toEqual([{ key: 'm', label: 'm', tokensIn: 1, tokensOut: 1, tokensReasoning: 0, costUsd: 0, sessions: 1 }]);
    expect((await usage.report({ from: '2027-01-01' })).totals).toEqual({ tokensIn: 0, tokensOut: 0, tokensReasoning: 0, costUsd: 0, sessions: 0 });
  });
});
