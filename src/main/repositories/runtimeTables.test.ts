// The runtime's tables (migrations 0004/0005): providers, approval rules and MCP servers, on a
// real migrated database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataError } from './errors';
import { openRepoTestDb, type RepoTestDb } from './testing';

let db: RepoTestDb;
beforeEach(async () => {
  db = await openRepoTestDb();
});
afterEach(async () => db.db.cleanup());

describe('ProvidersRepository', () => {
  it('keeps the price table in order and replaces it on save', async () => {
    const repo = db.providers;
    const p = await repo.save({
      name: 'OpenAI',
      kind: 'openai',
      baseURL: null,
      defaultModel: 'gpt-x',
      models: [
        { id: 'gpt-x', contextWindow: 128_000, price: { input: 2.5, output: 10, cachedInput: 1.25, reasoning: null } },
        { id: 'gpt-mini', contextWindow: null, price: null },
      ],
    });
    expect(p.models.map((m) => m.id)).toEqual(['gpt-x', 'gpt-mini']);
    expect(p.models[0]!.price).toEqual({ input: 2.5, output: 10, cachedInput: 1.25, reasoning: null });
    const edited = await repo.save({ ...p, id: p.id, models: [{ id: 'gpt-mini', contextWindow: 8000, price: { input: 0.1, output: 0.4, cachedInput: null, reasoning: null } }] });
    expect(edited.models).toEqual([{ id: 'gpt-mini', contextWindow: 8000, price: { input: 0.1, output: 0.4, cachedInput: null, reasoning: null } }]);
    expect(await repo.resolve('openai')).toMatchObject({ id: p.id });
    expect(await repo.resolve(p.id)).toMatchObject({ name: 'OpenAI' });
    const duplicate = repo.save({ name: 'openai', kind: 'anthropic', baseURL: null, defaultModel: null, models: [] });
    await expect(duplicate).rejects.toBeInstanceOf(DataError);
    await expect(duplicate).rejects.toMatchObject({ code: 'CONFLICT', message: 'A provider named "openai" already exists' });
    await expect(repo.save({ ...p, models: [p.models[0]!, p.models[0]!] })).rejects.toMatchObject({ name: 'DataError', code: 'VALIDATION' });
    await expect(repo.save({ ...p, id: 'gone' })).rejects.toMatchObject({ name: 'DataError', code: 'NOT_FOUND' });
    expect(await repo.remove(p.id)).toBe(true);
    expect((await db.client.execute('SELECT count(*) AS c FROM provider_models')).rows[0]!.c).toBe(0);
  });

  it('the schema refuses an openai-compatible provider without a base URL', async () => {
    await expect(
      db.client.execute({
        sql: "INSERT INTO providers (id, name, kind, created_at, updated_at) VALUES ('x', 'x', 'openai-compatible', ?, ?)",
        args: [new Date().toISOString(), new Date().toISOString()],
      }),
    ).rejects.toThrow(/CHECK/);
  });
});

describe('ApprovalRulesRepository', () => {
  it('remembers per session and per agent, idempotently, and goes with its session', async () => {
    const agent = await db.agents.create({ name: 'a' });
    const s1 = await db.sessions.create({ agentId: agent.id });
    const s2 = await db.sessions.create({ agentId: agent.id });
    const rules = db.approvalRules;
    await rules.allow('session', s1.id, 'write_file');
    await rules.allow('session', s1.id, 'write_file');
    expect(await rules.isAllowed(s1.id, agent.id, 'write_file')).toBe(true);
    expect(await rules.isAllowed(s2.id, agent.id, 'write_file')).toBe(false);
    await rules.allow('agent', agent.id, 'run_shell');
    expect(await rules.isAllowed(s2.id, agent.id, 'run_shell')).toBe(true);
    expect(await rules.list('session', s1.id)).toHaveLength(1);
    await db.sessions.delete(s1.id);
    expect(await rules.list('session', s1.id)).toEqual([]);
    const [r] = await rules.list('agent', agent.id);
    expect(await rules.remove(r!.id)).toBe(true);
    expect(await rules.isAllowed(s2.id, agent.id, 'run_shell')).toBe(false);
  });
});

describe('McpServersRepository', () => {
  it('stores stdio and http servers and finds them by name', async () => {
    const repo = db.mcpServers;
    await repo.save({ name: 'fs', spec: { transport: 'stdio', command: 'node', args: ['x.js'], env: { A: '1' }, cwd: null }, readOnlyTools: ['read'], enabled: true });
    const web = await repo.save({ name: 'web', spec: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} }, readOnlyTools: [], enabled: false });
    expect((await repo.byNames(['web', 'missing'])).map((s) => s.id)).toEqual([web.id]);
    expect((await repo.list()).map((s) => s.name)).toEqual(['fs', 'web']);
    const duplicate = repo.save({ name: 'fs', spec: web.spec, readOnlyTools: [], enabled: true });
    await expect(duplicate).rejects.toBeInstanceOf(DataError);
    await expect(duplicate).rejects.toMatchObject({ code: 'CONFLICT', message: 'An MCP server named "fs" already exists' });
    await expect(repo.save({ id: 'gone', name: 'x', spec: web.spec, readOnlyTools: [], enabled: true })).rejects.toMatchObject({ name: 'DataError', code: 'NOT_FOUND' });
    await expect(repo.approve('gone', web.spec)).rejects.toMatchObject({ name: 'DataError', code: 'NOT_FOUND' });
    const updated = await repo.save({ id: web.id, name: 'web2', spec: web.spec, readOnlyTools: ['x'], enabled: true });
    expect(updated).toMatchObject({ name: 'web2', readOnlyTools: ['x'], enabled: true });
  });
});
