// session_model_usage (migration 0130) holds, per session, model and provider, what the usage
// view used to sum from the log's model calls on every report. These tests compare it with that
// sum, recomputed from log_nodes, after every kind of write the app makes (inserts, the writer's
// updates, node and session deletion, retention), check the backfill on a database migrated
// with rows already in it, and check that a report no longer reads a log node.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../shared/domain.js';
import { locationFromPath, openClient } from '../db/connection.js';
import { Migrator, readMigrationsDir } from '../db/migrator/index.js';
import { createRepositories } from './index.js';
import { LogsRepository } from '../logs/repository.js';
import { RetentionRepository } from './retention.js';
import { MIGRATIONS_DIR, oldSchemaSessions, openRepoTestDb, queryPlan, recordStatements, type RepoTestDb } from './testing.js';
import { UsageRepository } from './usage.js';

/** The sums the usage view computed from the log before 0130 (its old CALLS query). */
const FROM_LOG = `SELECT session_id, coalesce(model, '') AS model, coalesce(provider, '') AS provider, count(*) AS calls,
    sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out, sum(tokens_reasoning) AS tokens_reasoning, sum(cost_usd) AS cost_usd
  FROM log_nodes WHERE kind = 'assistant_message' AND (tokens_in > 0 OR tokens_out > 0 OR cost_usd > 0)
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
const TABLE = `SELECT session_id, model, provider, calls, tokens_in, tokens_out, tokens_reasoning, cost_usd
  FROM session_model_usage ORDER BY 1, 2, 3`;

async function rows(c: Client, sql: string): Promise<Record<string, unknown>[]> {
  return (await c.execute(sql)).rows.map((r) => ({ ...r }));
}

/** The table equals the log's sums (costs compared to the cent's millionth: float sums). */
async function expectTableMatchesLog(c: Client): Promise<Record<string, unknown>[]> {
  const round = (rs: Record<string, unknown>[]) => rs.map((r) => ({ ...r, cost_usd: Math.round(Number(r['cost_usd']) * 1e8) / 1e8 }));
  const table = await rows(c, TABLE);
  expect(round(table)).toEqual(round(await rows(c, FROM_LOG)));
  return table;
}

let seq = 0;
interface Call {
  model?: string | null;
  provider?: string | null;
  kind?: string;
  tokensIn?: number;
  tokensOut?: number;
  tokensReasoning?: number;
  costUsd?: number;
}
/** A root node in a session's log, written as the log writer's INSERT does. */
async function node(c: Client, sessionId: string, x: Call = {}): Promise<string> {
  const id = `node-${++seq}`;
  await c.execute({
    sql: `INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, status, model, provider, tokens_in, tokens_out, tokens_reasoning, cost_usd, started_at)
          VALUES (?, ?, ?, 0, printf('%08d', ?), ?, 'complete', ?, ?, ?, ?, ?, ?, ?)`,
    args: [id, sessionId, seq, seq, x.kind ?? 'assistant_message', x.model === undefined ? 'model-a' : x.model, x.provider === undefined ? 'openai' : x.provider,
      x.tokensIn ?? 0, x.tokensOut ?? 0, x.tokensReasoning ?? 0, x.costUsd ?? 0, new Date().toISOString()],
  });
  return id;
}

describe('session_model_usage', () => {
  let t: RepoTestDb;
  let agent: Agent;
  beforeEach(async () => {
    t = await openRepoTestDb();
    agent = await t.agents.create({ name: 'Coder', model: 'model-a' });
  });
  afterEach(async () => {
    await t.db.cleanup();
  });

  it('follows inserts, the writer\'s updates and deletes of nodes and sessions', async () => {
    const c = t.client;
    const a = (await t.sessions.create({ agentId: agent.id })).id;
    const b = (await t.sessions.create({ agentId: agent.id })).id;
    await node(c, a, { tokensIn: 10, tokensOut: 5, costUsd: 0.25 });
    await node(c, a, { tokensIn: 1, tokensOut: 2, tokensReasoning: 3, costUsd: 0.125 });
    await node(c, a, { model: null, provider: null, costUsd: 0.5 });
    await node(c, a, { kind: 'user_message', tokensIn: 99 }); // not a model call
    const streaming = await node(c, b, { model: 'model-b', provider: 'anthropic' }); // no usage yet
    await node(c, b, { model: 'model-b', provider: 'anthropic', tokensIn: 7 });
    const groups = (await expectTableMatchesLog(c)).map((r) => [r['session_id'] === a ? 'a' : 'b', r['model'], r['calls']]);
    expect(groups.sort()).toEqual([['a', '', 1], ['a', 'model-a', 2], ['b', 'model-b', 1]]);

    // The writer's UPDATE on a status change names every column; nothing changes.
    await c.execute({ sql: `UPDATE log_nodes SET status = 'complete', tokens_in = tokens_in, model = model WHERE session_id = ?`, args: [a] });
    await expectTableMatchesLog(c);
    // A call's counts arrive when it ends; its model may be known only then.
    await c.execute({ sql: `UPDATE log_nodes SET tokens_in = 40, tokens_out = 8, cost_usd = 0.75, model = 'model-c' WHERE id = ?`, args: [streaming] });
    await expectTableMatchesLog(c);
    await c.execute({ sql: `UPDATE log_nodes SET provider = 'other' WHERE id = ?`, args: [streaming] });
    await expectTableMatchesLog(c);
    // A node that stops being a call, and one that becomes one.
    await c.execute({ sql: `UPDATE log_nodes SET tokens_in = 0, tokens_out = 0, cost_usd = 0 WHERE id = ?`, args: [streaming] });
    await expectTableMatchesLog(c);
    await c.execute({ sql: `UPDATE log_nodes SET kind = 'assistant_message' WHERE session_id = ? AND kind = 'user_message'`, args: [a] });
    await expectTableMatchesLog(c);

    await c.execute({ sql: `DELETE FROM log_nodes WHERE id = (SELECT min(id) FROM log_nodes WHERE session_id = ?)`, args: [a] });
    await expectTableMatchesLog(c);
    // Trashed sessions keep their rows (the report leaves them out by the session's deleted_at)...
    await t.sessions.softDelete(b);
    await expectTableMatchesLog(c);
    // ...deleting a session for good takes them with its log.
    await t.sessions.delete(b);
    await expectTableMatchesLog(c);
    expect(await rows(c, `SELECT * FROM session_model_usage WHERE session_id = '${b}'`)).toEqual([]);
    await new LogsRepository(c).deleteBySession(a);
    expect(await expectTableMatchesLog(c)).toEqual([]);
  });

  it('follows retention, which deletes a session\'s log in batches and then the session', async () => {
    const c = t.client;
    const s = (await t.sessions.create({ agentId: agent.id })).id;
    const keep = (await t.sessions.create({ agentId: agent.id })).id;
    for (let i = 0; i < 30; i++) await node(c, s, { model: `m${i % 3}`, tokensIn: i + 1, costUsd: (i % 4) / 8 });
    await node(c, keep, { tokensIn: 5 });
    await expectTableMatchesLog(c);
    const retention = new RetentionRepository(c);
    while ((await retention.deleteLogBatch(s)) > 0) await expectTableMatchesLog(c);
    expect(await retention.deleteSession(s)).toBe(true);
    expect((await expectTableMatchesLog(c)).map((r) => r['session_id'])).toEqual([keep]);
  });

  it('the usage report reads the table, never a log node', async () => {
    const s = (await t.sessions.create({ agentId: agent.id })).id;
    await node(t.client, s, { tokensIn: 3 });
    const rec = recordStatements(t.client);
    await new UsageRepository(t.client).report({ from: '2026-01-01' });
    rec.stop();
    expect(rec.statements).toHaveLength(4);
    for (const st of rec.statements) {
      const plan = (await queryPlan(t.client, st.sql, st.args)).join('\n');
      expect(plan).not.toMatch(/log_nodes/);
      // A date range is a range of the creation-time index, never every live session.
      expect(plan).toMatch(/SEARCH sessions USING INDEX sessions_created_at_id \(created_at>\?\)/);
      expect(plan).not.toMatch(/SCAN sessions|sessions_deleted_at_archived_at|sessions_agent_id_deleted_at/);
      if (/session_model_usage/.test(st.sql)) expect(plan).toMatch(/SEARCH u USING PRIMARY KEY \(session_id=\?\)/);
    }
  });
});

describe('0130_session_model_usage on a database with a log', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-mig-0130-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fills the table from the existing log, and up -> down -> up leaves the same rows', async () => {
    const location = locationFromPath(path.join(dir, 'paddock.db'));
    const migrate = async (fn: (m: Migrator) => Promise<unknown>) => {
      const m = await Migrator.open({ location, migrations: readMigrationsDir(MIGRATIONS_DIR), appVersion: '0.0.0-test', backup: false });
      try {
        await fn(m);
      } finally {
        m.close();
      }
    };
    await migrate((m) => m.migrate({ to: 120 }));
    const c = await openClient(location);
    try {
      const owner = (await createRepositories(c).agents.create({ name: 'Old', model: 'm' })).id;
      const s1 = await oldSchemaSessions.insert(c, { id: 'old-1', agentId: owner, name: 'one' });
      const s2 = await oldSchemaSessions.insert(c, { id: 'old-2', agentId: owner, name: 'two' });
      for (let i = 0; i < 12; i++) await node(c, i % 2 ? s1 : s2, { model: i % 3 ? 'x' : null, tokensIn: i, tokensOut: 1, costUsd: i / 4, kind: i === 5 ? 'thought' : 'assistant_message' });
      const expected = await rows(c, FROM_LOG);
      expect(expected.length).toBeGreaterThan(2);

      await migrate((m) => m.migrate({ to: 130 }));
      expect(await expectTableMatchesLog(c)).toHaveLength(expected.length);
      await migrate((m) => m.rollback({ to: 120 }));
      expect(await rows(c, `SELECT name FROM sqlite_schema WHERE name = 'session_model_usage' OR name LIKE 'log_nodes_usage_%'`)).toEqual([]);
      await migrate((m) => m.migrate({ to: 130 }));
      expect(await expectTableMatchesLog(c)).toHaveLength(expected.length);
    } finally {
      c.close();
    }
  });
});
