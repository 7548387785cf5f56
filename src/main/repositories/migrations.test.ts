// Per-migration fixture tests (Signal's pattern) for 0001_agents and 0002_sessions: seed the
// database at N-1, migrate to N, check the rows survived, and check that the queries the
// repositories actually send use their indexes. Also the schema's own guards (triggers, FKs).

import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { readMigrationsDir } from '../db/migrator/index.js';
import type { SessionWithConfig } from '../../shared/domain.js';
import { createRepositories } from './index.js';
import { MIGRATIONS_DIR, queryPlan, recordStatements, migrationFixture } from './testing.js';

const { withMigrator, db, closeClient, migrate: reopenAt } = migrationFixture('paddock-repo-mig-');

/**
 * The latest migration. The repositories speak the latest schema (on older ones they only read
 * agents without their 0005 review, through a probe that cannot be EXPLAINed there), so the tests
 * that check every statement a repository sends are run at the latest schema.
 */
const LATEST = Math.max(...readMigrationsDir(MIGRATIONS_DIR).map((m) => Number(/^(\d+)_/.exec(m.file)![1])));

async function migrateTo(to: number): Promise<void> {
  await withMigrator((m) => m.migrate({ to }));
}

async function rollbackTo(to: number): Promise<void> {
  await withMigrator((m) => m.rollback({ to }));
}

const T0 = '2025-01-01T00:00:00.000Z';
const AGENT_CONFIG = {
  name: 'Seeded',
  description: 'from fixture',
  avatar: null,
  type: 'custom',
  instructions: 'hello',
  model: 'm',
  planModel: null,
  smallModel: null,
  builtinTools: ['read'],
  mcpServers: [],
  knowledge: [],
  accessiblePaths: ['/tmp'],
  permissionMode: 'acceptEdits',
  maxSteps: 7,
  settings: { t: 1 },
  schedule: null,
};

/** Seeds agents with raw SQL against the 0001 schema, the way a user's database would look. */
async function seedAgentsAt0001(c: Client, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `agent-${String(i).padStart(3, '0')}`;
    ids.push(id);
    await c.batch(
      [
        {
          sql: `INSERT INTO agents (id, name, description, instructions, model, builtin_tools, accessible_paths, permission_mode, max_steps, settings, version, created_at, updated_at)
                VALUES (?, ?, 'from fixture', 'hello', 'm', '["read"]', '["/tmp"]', 'acceptEdits', 7, '{"t":1}', 1, ?, ?)`,
          args: [id, `Seeded ${i}`, T0, T0],
        },
        {
          sql: 'INSERT INTO agent_versions (id, agent_id, version, config, created_at) VALUES (?, ?, 1, ?, ?)',
          args: [`${id}-v1`, id, JSON.stringify({ ...AGENT_CONFIG, name: `Seeded ${i}` }), T0],
        },
      ],
      'write',
    );
  }
  return ids;
}

/** Fails on any table scan that uses no index (a "SCAN x" line without "USING"). */
function expectIndexed(plan: string[], sql: string): void {
  const bad = plan.filter((line) => /^SCAN \w+/.test(line) && line !== 'SCAN CONSTANT ROW' && !/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(line));
  expect(bad, `${sql}\n${plan.join('\n')}`).toEqual([]);
  expect(plan.join('\n'), sql).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|USING PRIMARY KEY/);
}

async function expectStatementsIndexed(c: Client, statements: Array<{ sql: string; args: unknown[] }>): Promise<number> {
  let checked = 0;
  for (const st of statements) {
    // INSERT … VALUES reads nothing; every other statement must find its rows through an index.
    if (/^\s*INSERT\b/i.test(st.sql) && !/\bSELECT\b/i.test(st.sql)) continue;
    expectIndexed(await queryPlan(c, st.sql, st.args), st.sql);
    checked++;
  }
  return checked;
}

describe('0001_agents', () => {
  it('creates the agents schema on an empty database; repository hot queries use indexes', async () => {
    await migrateTo(1);
    const ids = await seedAgentsAt0001(await db(), 5);
    const c = await reopenAt(LATEST);
    const rec = recordStatements(c);
    const { agents } = createRepositories(c);
    for (const sort of ['name', 'createdAt', 'updatedAt'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const p1 = await agents.list({ sort, order: direction, limit: 2 });
        await agents.list({ sort, order: direction, limit: 2, cursor: p1.nextCursor });
      }
    }
    await agents.list({ search: 'seed', permissionMode: 'acceptEdits' });
    await agents.list({ deleted: 'only' });
    await agents.list({ deleted: 'include', sort: 'updatedAt' });
    await agents.count();
    await agents.count({ deleted: 'only' });
    await agents.exists(ids[0]!);
    await agents.get(ids[0]!);
    await agents.versions(ids[0]!);
    await agents.getVersion(`${ids[0]}-v1`);
    await agents.update(ids[1]!, { model: 'changed' });
    await agents.softDelete(ids[2]!);
    await agents.restore(ids[2]!);
    rec.stop();
    expect(await expectStatementsIndexed(c, rec.statements)).toBeGreaterThan(20);
  });

  it('guards: versions are immutable, a config change needs a new version, the current version must exist', async () => {
    await migrateTo(1);
    const c = await db();
    const [id] = await seedAgentsAt0001(c, 1);
    await expect(c.execute({ sql: "UPDATE agent_versions SET config = '{}' WHERE agent_id = ?", args: [id!] })).rejects.toThrow(/immutable/);
    await expect(c.execute({ sql: 'DELETE FROM agent_versions WHERE agent_id = ?', args: [id!] })).rejects.toThrow(/purging/);
    await expect(c.execute({ sql: "UPDATE agents SET model = 'sneaky' WHERE id = ?", args: [id!] })).rejects.toThrow(/new version/);
    await expect(c.execute({ sql: 'UPDATE agents SET version = 5 WHERE id = ?', args: [id!] })).rejects.toThrow(/exactly one/);
    // Bumping the version without writing its snapshot fails at commit (deferred foreign key).
    await expect(
      c.batch([{ sql: "UPDATE agents SET model = 'x', version = 2 WHERE id = ?", args: [id!] }], 'write'),
    ).rejects.toThrow(/FOREIGN KEY/);
    // Soft delete touches no config column and needs no version.
    await c.execute({ sql: 'UPDATE agents SET deleted_at = ? WHERE id = ?', args: [T0, id!] });
    // Enum, JSON and timestamp checks.
    await expect(c.execute({ sql: "UPDATE agents SET permission_mode = 'yolo', version = 2 WHERE id = ?", args: [id!] })).rejects.toThrow(/CHECK/);
    await expect(
      c.execute({ sql: "INSERT INTO agents (id, name, settings, created_at, updated_at) VALUES ('x', 'x', '[1]', ?, ?)", args: [T0, T0] }),
    ).rejects.toThrow(/CHECK/);
    await expect(
      c.execute({ sql: "INSERT INTO agents (id, name, created_at, updated_at) VALUES ('x', 'x', '2025-01-01 00:00:00', ?)", args: [T0] }),
    ).rejects.toThrow(/CHECK/);
    // Purging the agent removes its versions (the cascade passes the delete guard).
    await c.execute({ sql: 'DELETE FROM agents WHERE id = ?', args: [id!] });
    expect((await c.execute('SELECT count(*) AS n FROM agent_versions')).rows[0]!['n']).toBe(0);
  });
});

describe('0002_sessions', () => {
  it('seeded at 0001, migrated to 0002: agents and versions survive and sessions work on them', async () => {
    await migrateTo(1);
    const ids = await seedAgentsAt0001(await db(), 3);
    closeClient();
    await migrateTo(2);
    // The repositories speak the latest schema (sessions carry their pins and tags).
    await migrateTo(LATEST);
    const c = await db();
    const { agents, sessions } = createRepositories(c);
    const a = await agents.get(ids[0]!);
    expect(a).toMatchObject({ name: 'Seeded 0', permissionMode: 'acceptEdits', maxSteps: 7, settings: { t: 1 }, version: 1, createdAt: T0 });
    expect((await agents.versions(ids[0]!))[0]!.config).toMatchObject({ name: 'Seeded 0', accessiblePaths: ['/tmp'] });
    expect(await agents.count()).toBe(3);
    const s = await sessions.create({ agentId: ids[0]!, overrides: { maxSteps: 2 } });
    expect(s.effectiveConfig).toMatchObject({ model: 'm', maxSteps: 2, settings: { t: 1 } });
  });

  it('session hot queries use their indexes', async () => {
    await migrateTo(LATEST);
    const c = await db();
    const { agents, sessions } = createRepositories(c);
    const a = await agents.create({ name: 'A' });
    const made: SessionWithConfig[] = [];
    for (let i = 0; i < 4; i++) made.push(await sessions.create({ agentId: a.id, externalId: `ext-${i}`, parentSessionId: made[0]?.id ?? null }));
    const rec = recordStatements(c);
    for (const sort of ['createdAt', 'updatedAt', 'name'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const p1 = await sessions.list({ sort, order: direction, limit: 2 });
        await sessions.list({ sort, order: direction, limit: 2, cursor: p1.nextCursor });
        const q1 = await sessions.list({ agentId: a.id, sort, order: direction, limit: 2 });
        await sessions.list({ agentId: a.id, sort, order: direction, limit: 2, cursor: q1.nextCursor });
      }
    }
    await sessions.list({ status: ['running', 'waiting_for_user_input'] });
    await sessions.list({ parentSessionId: made[0]!.id });
    await sessions.list({ deleted: 'only' });
    await sessions.list({ archived: 'only', search: 'x' });
    await sessions.count();
    await sessions.count({ agentId: a.id });
    await sessions.create({ agentId: a.id, parentSessionId: made[0]!.id });
    await sessions.get(made[1]!.id);
    await sessions.getByExternalId('ext-2');
    await sessions.update(made[1]!.id, { name: 'n', overrides: { model: 'x', planModel: null } });
    await sessions.transition(made[1]!.id, 'running');
    await sessions.addUsage(made[1]!.id, { tokensIn: 1 });
    await sessions.archive(made[2]!.id);
    await sessions.softDelete(made[3]!.id);
    await sessions.markRunningAsInterrupted();
    await sessions.delete(made[3]!.id);
    await agents.purge(a.id, { cascade: true });
    rec.stop();
    expect(await expectStatementsIndexed(c, rec.statements)).toBeGreaterThan(40);
  });

  it('keyset list queries walk the sort index without a temp sort', async () => {
    await migrateTo(LATEST);
    const c = await db();
    const { agents, sessions } = createRepositories(c);
    const a = await agents.create({ name: 'A' });
    await sessions.create({ agentId: a.id });
    const rec = recordStatements(c);
    await sessions.list({ agentId: a.id, sort: 'updatedAt', order: 'desc' });
    await sessions.list({ sort: 'createdAt', order: 'desc' });
    await agents.list({ sort: 'name' });
    rec.stop();
    for (const st of rec.statements) {
      const plan = (await queryPlan(c, st.sql, st.args)).join('\n');
      expect(plan, st.sql).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('rolling back 0002 keeps the agents and their versions', async () => {
    await migrateTo(LATEST);
    const c = await db();
    const { agents, sessions } = createRepositories(c);
    const a = await agents.create({ name: 'Keep me' });
    await agents.update(a.id, { model: 'v2' });
    await sessions.create({ agentId: a.id });
    closeClient();
    await rollbackTo(1);
    const c2 = await db();
    expect((await c2.execute("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'sessions'")).rows[0]!['n']).toBe(0);
    expect((await c2.execute('SELECT count(*) AS n FROM agent_versions')).rows[0]!['n']).toBe(2);
    expect((await c2.execute('SELECT name, version FROM agents')).rows.map((r) => ({ ...r }))).toEqual([{ name: 'Keep me', version: 2 }]);
  });
});

describe('0005_consent', () => {
  const tables = async (c: Client) =>
    (await c.execute("SELECT name FROM sqlite_schema WHERE name IN ('agent_reviews', 'mcp_approvals') ORDER BY name")).rows.map((r) => r['name']);

  it('up -> down -> up: reviews and approvals come and go, agents and MCP servers stay', async () => {
    await migrateTo(4);
    const [id] = await seedAgentsAt0001(await db(), 1);
    await (await db()).execute({
      sql: `INSERT INTO mcp_servers (id, name, spec, created_at, updated_at) VALUES ('m1', 'srv', '{"transport":"stdio","command":"x"}', ?, ?)`,
      args: [T0, T0],
    });
    let c = await reopenAt(5);
    expect(await tables(c)).toEqual(['agent_reviews', 'mcp_approvals']);
    await c.execute({ sql: `INSERT INTO agent_reviews (agent_id, request, created_at) VALUES (?, '{"schedule":"* * * * *"}', ?)`, args: [id!, T0] });
    await c.execute({ sql: `INSERT INTO mcp_approvals (server_id, spec_sha256, approved_at) VALUES ('m1', ?, ?)`, args: ['a'.repeat(64), T0] });
    expect((await createRepositories(c).agents.get(id!)).pendingReview).toEqual({ schedule: '* * * * *' });
    await expect(c.execute({ sql: `INSERT INTO agent_reviews (agent_id, request, created_at) VALUES ('nobody', '{}', ?)`, args: [T0] })).rejects.toThrow(/FOREIGN KEY/);

    closeClient();
    await rollbackTo(4);
    c = await db();
    expect(await tables(c)).toEqual([]);
    expect((await c.execute('SELECT count(*) AS n FROM agents')).rows[0]!['n']).toBe(1);
    expect((await c.execute('SELECT count(*) AS n FROM mcp_servers')).rows[0]!['n']).toBe(1);

    c = await reopenAt(5);
    expect(await tables(c)).toEqual(['agent_reviews', 'mcp_approvals']);
    expect((await createRepositories(c).agents.get(id!)).pendingReview).toBeNull();
    // A review goes with its agent when the agent is purged.
    await c.execute({ sql: `INSERT INTO agent_reviews (agent_id, request, created_at) VALUES (?, '{}', ?)`, args: [id!, T0] });
    await createRepositories(c).agents.purge(id!);
    expect((await c.execute('SELECT count(*) AS n FROM agent_reviews')).rows[0]!['n']).toBe(0);
  });
});
