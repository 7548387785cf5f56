import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLLUP_SQL, dailyUsage, sessionCountsByAgent } from './session-rollups.js';
import { openRepoTestDb, queryPlan, type RepoTestDb } from './testing.js';

let t: RepoTestDb;

beforeEach(async () => {
  t = await openRepoTestDb();
});
afterEach(async () => {
  await t.db.cleanup();
});

describe('session roll-ups', () => {
  it('count live sessions per agent and add usage up by agent and day', async () => {
    const a = await t.agents.create({ name: 'A' });
    const b = await t.agents.create({ name: 'B' });
    const s1 = await t.sessions.create({ agentId: a.id });
    const s2 = await t.sessions.create({ agentId: a.id });
    const gone = await t.sessions.create({ agentId: b.id });
    await t.sessions.addUsage(s1.id, { tokensIn: 10, tokensOut: 5, costUsd: 0.5 });
    await t.sessions.addUsage(s2.id, { tokensIn: 1, tokensOut: 2, costUsd: 0.25 });
    await t.sessions.softDelete(gone.id);
    expect(await sessionCountsByAgent(t.client)).toEqual([{ agentId: a.id, sessions: 2 }]);
    expect(await sessionCountsByAgent(t.client, [b.id, a.id, 'no-such-agent', a.id])).toEqual([
      { agentId: b.id, sessions: 0 },
      { agentId: a.id, sessions: 2 },
      { agentId: 'no-such-agent', sessions: 0 },
    ]);
    expect(await sessionCountsByAgent(t.client, [])).toEqual([]);
    const day = s1.createdAt.slice(0, 10);
    const usage = await dailyUsage(t.client, '2000-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z');
    expect(usage.find((u) => u.agentId === a.id)).toEqual({ agentId: a.id, day, sessions: 2, tokensIn: 11, tokensOut: 7, tokensReasoning: 0, tokensCached: 0, costUsd: 0.75 });
  });

  it('read covering indexes only: one narrow entry per session, never a session row or a log node', async () => {
    const counts = await queryPlan(t.client, ROLLUP_SQL.counts);
    expect(counts.join('\n')).toMatch(/USING COVERING INDEX sessions_agent_id_deleted_at/);
    const daily = await queryPlan(t.client, ROLLUP_SQL.daily, ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
    expect(daily.join('\n')).toMatch(/USING COVERING INDEX sessions_usage/);
    const countsOf = await queryPlan(t.client, ROLLUP_SQL.countsOf, ['["a","b"]']);
    expect(countsOf.join('\n')).toMatch(/SEARCH s USING COVERING INDEX sessions_agent_id_deleted_at \(agent_id=\? AND deleted_at=\?\)/);
    for (const plan of [counts, daily, countsOf]) expect(plan.join('\n')).not.toMatch(/log_nodes|SCAN sessions$/);
  });
});
