// 0050_session_budget_reached rebuilds the sessions table (a new status in its CHECK and its
// transition trigger). Seeded at 0041 with sessions in every old status and rows in every table
// that references sessions, migrated up, down and up again: every row survives, the child rows
// still point at their sessions, budget-stopped sessions change status, and the indexes and
// triggers are all back.
import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { schemaFingerprint } from '../db/migrator/index.js';
import { createRepositories } from './index.js';
import { oldSchemaSessions, migrationFixture } from './testing.js';

const { withMigrator, db } = migrationFixture('paddock-mig-0050-');

const T0 = '2025-01-01T00:00:00.000Z';
const BUDGET_ERROR = "Budget reached: the next model call could use up to 1,200 tokens, more than is left of the session's budget (2,400 of 2,600 tokens used). Raise the budget and resume to continue.";

async function rows(c: Client, sql: string): Promise<Record<string, unknown>[]> {
  return (await c.execute(sql)).rows.map((r) => ({ ...r }));
}

/** Indexes and triggers on sessions (the rebuild must make every one again). */
const sessionObjects = (c: Client) => rows(c, "SELECT type, name FROM sqlite_schema WHERE tbl_name = 'sessions' AND type IN ('index', 'trigger') ORDER BY type, name");

/** Every table holding a reference to a session, and how many of its rows point at one. */
const CHILDREN = ['log_nodes', 'tool_rules', 'budgets', 'schedule_runs', 'session_sources', 'budget_usage'];
async function childCounts(c: Client): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of CHILDREN) out[t] = (await c.execute(`SELECT count(*) AS n FROM ${t} WHERE session_id IN (SELECT id FROM sessions)`)).rows[0]!['n'];
  return out;
}

async function seedAt0041(c: Client): Promise<{ agentId: string; ids: Record<string, string> }> {
  const agent = await createRepositories(c).agents.create({ name: 'Seeded', model: 'm' });
  const ids: Record<string, string> = {};
  const paths: Record<string, string[]> = {
    idle: [],
    running: ['running'],
    waiting: ['running', 'waiting_for_user_input'],
    completed: ['running', 'completed'],
    failed: ['running', 'failed'],
    stopped: ['running', 'stopped'],
    interrupted: ['running', 'interrupted'],
    budget: ['running', 'stopped'],
  };
  for (const [name, steps] of Object.entries(paths)) {
    const id = await oldSchemaSessions.insert(c, { id: `seeded-${name}`, agentId: agent.id, name, parentSessionId: ids['idle'] ?? null });
    for (const to of steps) await oldSchemaSessions.setStatus(c, id, to, name === 'budget' && to === 'stopped' ? BUDGET_ERROR : null);
    ids[name] = id;
  }
  const budgetId = ids['budget']!;
  await c.batch(
    [
      {
        sql: `INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, role, status, content, started_at) VALUES ('n1', ?, 0, 0, '00000000', 'user_message', 'user', 'complete', 'look around', ?)`,
        args: [budgetId, T0],
      },
      { sql: `INSERT INTO tool_rules (id, scope, session_id, tool, decision, created_at, updated_at) VALUES ('r1', 'session', ?, 'run_shell', 'allow', ?, ?)`, args: [budgetId, T0, T0] },
      { sql: `INSERT INTO budgets (id, scope, session_id, max_tokens, created_at, updated_at) VALUES ('b1', 'session', ?, 2600, ?, ?)`, args: [budgetId, T0, T0] },
      { sql: `INSERT INTO budget_usage (id, session_id, agent_id, at, tokens, cost_usd, state) VALUES ('u1', ?, ?, ?, 2400, 0, 'actual')`, args: [budgetId, agent.id, T0] },
      { sql: `INSERT INTO schedule_runs (id, agent_id, scheduled_at, status, session_id, claimed_at) VALUES ('sr1', ?, ?, 'started', ?, ?)`, args: [agent.id, T0, budgetId, T0] },
      { sql: `INSERT INTO session_sources (session_id, format, source_id, imported_at) VALUES (?, 'claude-code', 'x', ?)`, args: [ids['completed']!, T0] },
    ],
    'write',
  );
  return { agentId: agent.id, ids };
}

describe('0050_session_budget_reached', () => {
  it('up -> down -> up on a database with rows: nothing lost, children intact, budget stops get their status', async () => {
    await withMigrator((m) => m.migrate({ to: 41 }));
    let c = await db();
    const { ids } = await seedAt0041(c);
    const before = await rows(c, 'SELECT * FROM sessions ORDER BY id');
    const objectsBefore = await sessionObjects(c);
    const childrenBefore = await childCounts(c);
    const fingerprintBefore = await schemaFingerprint(c);
    expect(Object.values(childrenBefore)).toEqual([1, 1, 1, 1, 1, 1]);

    await withMigrator((m) => m.migrate({ to: 50 }));
    c = await db();
    const after = await rows(c, 'SELECT * FROM sessions ORDER BY id');
    expect(after).toEqual(before.map((s) => (s['id'] === ids['budget'] ? { ...s, status: 'budget_reached' } : s)));
    expect(await sessionObjects(c)).toEqual(objectsBefore);
    expect(await childCounts(c)).toEqual(childrenBefore);
    expect(await rows(c, 'PRAGMA foreign_key_check')).toEqual([]);
    // Foreign keys still lead to the rebuilt table: deleting a session cascades to its log.
    expect((await oldSchemaSessions.get(c, ids['budget']!)).status).toBe('budget_reached');

    // The trigger knows the new status: in from a run, out only by running again.
    await oldSchemaSessions.setStatus(c, ids['running']!, 'budget_reached');
    await expect(c.execute({ sql: `UPDATE sessions SET status = 'budget_reached' WHERE id = ?`, args: [ids['completed']!] })).rejects.toThrow(/illegal session status transition/);
    await expect(c.execute({ sql: `UPDATE sessions SET status = 'completed' WHERE id = ?`, args: [ids['budget']!] })).rejects.toThrow(/illegal session status transition/);
    await expect(c.execute({ sql: `UPDATE sessions SET status = 'nonsense' WHERE id = ?`, args: [ids['idle']!] })).rejects.toThrow(/CHECK|illegal/);
    await expect(c.execute({ sql: `UPDATE sessions SET agent_id = 'other' WHERE id = ?`, args: [ids['idle']!] })).rejects.toThrow(/cannot move to another agent/);
    await oldSchemaSessions.setStatus(c, ids['budget']!, 'running');
    await oldSchemaSessions.setStatus(c, ids['budget']!, 'budget_reached', BUDGET_ERROR);

    await withMigrator((m) => m.rollback({ to: 41 }));
    c = await db();
    const down = await rows(c, 'SELECT id, status, error FROM sessions ORDER BY id');
    // Back on the old schema a budget stop is a stop again, its reason kept in error.
    expect(down.find((s) => s['id'] === ids['budget'])).toEqual({ id: ids['budget'], status: 'stopped', error: BUDGET_ERROR });
    expect(down.find((s) => s['id'] === ids['running'])).toMatchObject({ status: 'stopped' });
    expect(await sessionObjects(c)).toEqual(objectsBefore);
    expect(await childCounts(c)).toEqual(childrenBefore);
    expect(await schemaFingerprint(c)).toBe(fingerprintBefore);

    await withMigrator((m) => m.migrate({ to: 50 }));
    c = await db();
    expect((await rows(c, 'SELECT status FROM sessions WHERE id = ' + `'${ids['budget']}'`))[0]).toEqual({ status: 'budget_reached' });
    expect(await childCounts(c)).toEqual(childrenBefore);
    await createRepositories(c).sessions.delete(ids['budget']!);
    expect((await c.execute(`SELECT count(*) AS n FROM log_nodes`)).rows[0]!['n']).toBe(0);
  });
});
