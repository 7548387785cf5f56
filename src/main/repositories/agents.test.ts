import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../shared/domain.js';
import { DataError } from './errors.js';
import { addLogNodes, countLogNodes, openRepoTestDb, type RepoTestDb } from './testing.js';

let t: RepoTestDb;

beforeEach(async () => {
  t = await openRepoTestDb();
});
afterEach(async () => {
  await t.db.cleanup();
});

async function expectCode(p: Promise<unknown>, code: DataError['code']): Promise<DataError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  expect((err as DataError).code).toBe(code);
  return err as DataError;
}

/** Walks every page and returns the ids in order. */
async function allIds(opts: Parameters<RepoTestDb['agents']['list']>[0]): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await t.agents.list({ ...opts, cursor });
    ids.push(...page.items.map((a) => a.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

describe('AgentsRepository create / get', () => {
  it('creates an agent at version 1 with defaults and a matching version snapshot', async () => {
    const a = await t.agents.create({ name: '  Reviewer ', model: 'gpt-x', builtinTools: ['read'], settings: { temperature: 0.2 } });
    expect(a).toMatchObject({
      name: 'Reviewer',
      model: 'gpt-x',
      version: 1,
      permissionMode: 'ask',
      maxSteps: 50,
      builtinTools: ['read'],
      settings: { temperature: 0.2 },
      deletedAt: null,
      schedule: null,
    });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(await t.agents.get(a.id)).toEqual(a);
    const versions = await t.agents.versions(a.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ agentId: a.id, version: 1 });
    expect(versions[0]!.config.name).toBe('Reviewer');
    expect(versions[0]!.config.settings).toEqual({ temperature: 0.2 });
    expect(await t.agents.getVersion(versions[0]!.id)).toEqual(versions[0]);
  });

  it('refuses bad input with VALIDATION naming the field, and writes nothing', async () => {
    const e1 = await expectCode(t.agents.create({ name: '   ' }), 'VALIDATION');
    expect(e1.details?.['field']).toBe('name');
    const e2 = await expectCode(t.agents.create({ name: 'x', permissionMode: 'yolo' as never }), 'VALIDATION');
    expect(e2.details?.['field']).toBe('permissionMode');
    await expectCode(t.agents.create({ name: 'x', maxSteps: 0 }), 'VALIDATION');
    await expectCode(t.agents.create({ name: 'x', schedule: 'every tuesday' }), 'VALIDATION');
    await expectCode(t.agents.create({ name: 'x', unknownField: 1 } as never), 'VALIDATION');
    expect((await t.agents.create({ name: 'x', schedule: '*/5 * * * *' })).schedule).toBe('*/5 * * * *');
    expect(await t.agents.count()).toBe(1);
  });

  it('get / getVersion / versions of unknown ids throw NOT_FOUND', async () => {
    await expectCode(t.agents.get('nope'), 'NOT_FOUND');
    await expectCode(t.agents.getVersion('nope'), 'NOT_FOUND');
    await expectCode(t.agents.versions('nope'), 'NOT_FOUND');
    // An empty id is refused by the contract's idSchema at the boundary; here it simply matches nothing.
    await expectCode(t.agents.get(''), 'NOT_FOUND');
  });
});

describe('AgentsRepository update / versions', () => {
  it('each saved change is a new immutable version; old snapshots keep the old config', async () => {
    const a = await t.agents.create({ name: 'A', model: 'm1', instructions: 'be brief' });
    const b = await t.agents.update(a.id, { model: 'm2' });
    expect(b.version).toBe(2);
    expect(b.model).toBe('m2');
    expect(b.instructions).toBe('be brief');
    const c = await t.agents.update(a.id, { instructions: 'be thorough', permissionMode: 'readOnly' });
    expect(c.version).toBe(3);
    const versions = await t.agents.versions(a.id);
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions.map((v) => v.config.model)).toEqual(['m2', 'm2', 'm1']);
    expect(versions[2]!.config.instructions).toBe('be brief');
    expect(versions[0]!.config.permissionMode).toBe('readOnly');
    expect(c.updatedAt >= a.updatedAt).toBe(true);
    expect(c.createdAt).toBe(a.createdAt);
  });

  it('a change that alters nothing does not create a version', async () => {
    const a = await t.agents.create({ name: 'A', model: 'm1' });
    const same = await t.agents.update(a.id, { model: 'm1' });
    expect(same.version).toBe(1);
    expect(await t.agents.versions(a.id)).toHaveLength(1);
  });

  it('optimistic concurrency: a stale expectedVersion is refused with CONFLICT and changes nothing', async () => {
    const a = await t.agents.create({ name: 'A' });
    await t.agents.update(a.id, { model: 'first' }, { expectedVersion: 1 });
    const err = await expectCode(t.agents.update(a.id, { model: 'second' }, { expectedVersion: 1 }), 'CONFLICT');
    expect(err.details).toMatchObject({ currentVersion: 2, expectedVersion: 1 });
    const now = await t.agents.get(a.id);
    expect(now.model).toBe('first');
    expect(now.version).toBe(2);
  });

  it('concurrent updates without expectedVersion both land as consecutive versions', async () => {
    const a = await t.agents.create({ name: 'A' });
    await Promise.all([t.agents.update(a.id, { model: 'x' }), t.agents.update(a.id, { instructions: 'y' })]);
    const now = await t.agents.get(a.id);
    expect(now.version).toBe(3);
    expect(now.model).toBe('x');
    expect(now.instructions).toBe('y');
    expect((await t.agents.versions(a.id)).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('two editors saving from the same version at once: exactly one wins, no orphan version row', async () => {
    const a = await t.agents.create({ name: 'A' });
    const results = await Promise.allSettled([
      t.agents.update(a.id, { model: 'left' }, { expectedVersion: 1 }),
      t.agents.update(a.id, { model: 'right' }, { expectedVersion: 1 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((loser.reason as DataError).code).toBe('CONFLICT');
    const now = await t.agents.get(a.id);
    expect(now.version).toBe(2);
    const versions = await t.agents.versions(a.id);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0]!.config.model).toBe(now.model);
  });

  it('validates the patch and refuses editing an agent in the trash', async () => {
    const a = await t.agents.create({ name: 'A' });
    await expectCode(t.agents.update(a.id, { maxSteps: -1 }), 'VALIDATION');
    await expectCode(t.agents.update(a.id, { name: '' }), 'VALIDATION');
    await expectCode(t.agents.update('missing', { model: 'x' }), 'NOT_FOUND');
    await t.agents.softDelete(a.id);
    await expectCode(t.agents.update(a.id, { model: 'x' }), 'CONFLICT');
  });
});

describe('AgentsRepository duplicate / soft delete / restore / purge', () => {
  it('duplicate copies the config into a new agent at version 1', async () => {
    const a = await t.agents.create({ name: 'A', model: 'm', mcpServers: ['fs'] });
    await t.agents.update(a.id, { instructions: 'v2' });
    const copy = await t.agents.duplicate(a.id);
    expect(copy.id).not.toBe(a.id);
    expect(copy).toMatchObject({ name: 'A (copy)', model: 'm', mcpServers: ['fs'], instructions: 'v2', version: 1 });
    expect((await t.agents.duplicate(a.id, 'Other')).name).toBe('Other');
    await expectCode(t.agents.duplicate('missing'), 'NOT_FOUND');
  });

  it('soft delete hides the agent from lists and counts; restore brings it back; both idempotent', async () => {
    const a = await t.agents.create({ name: 'A' });
    const b = await t.agents.create({ name: 'B' });
    const del = await t.agents.softDelete(a.id);
    expect(del.deletedAt).not.toBeNull();
    expect((await t.agents.softDelete(a.id)).deletedAt).toBe(del.deletedAt);
    expect((await t.agents.list()).items.map((x) => x.id)).toEqual([b.id]);
    expect((await t.agents.list({ deleted: 'only' })).items.map((x) => x.id)).toEqual([a.id]);
    expect((await t.agents.list({ deleted: 'include' })).items).toHaveLength(2);
    expect(await t.agents.count()).toBe(1);
    expect(await t.agents.count({ deleted: 'only' })).toBe(1);
    expect(await t.agents.exists(a.id)).toBe(false);
    expect(await t.agents.exists(a.id, { includeDeleted: true })).toBe(true);
    expect((await t.agents.get(a.id)).deletedAt).not.toBeNull();
    const back = await t.agents.restore(a.id);
    expect(back.deletedAt).toBeNull();
    expect((await t.agents.restore(a.id)).deletedAt).toBeNull();
    expect(await t.agents.count()).toBe(2);
    expect(back.version).toBe(1);
    await expectCode(t.agents.softDelete('missing'), 'NOT_FOUND');
    await expectCode(t.agents.restore('missing'), 'NOT_FOUND');
  });

  it('purge refuses while sessions exist, cascades only when asked, and removes all versions', async () => {
    const a = await t.agents.create({ name: 'A' });
    await t.agents.update(a.id, { model: 'm2' });
    const s1 = await t.sessions.create({ agentId: a.id });
    const s2 = await t.sessions.create({ agentId: a.id, parentSessionId: s1.id });
    await addLogNodes(t.client, s1.id);
    await addLogNodes(t.client, s2.id);
    const err = await expectCode(t.agents.purge(a.id), 'CONFLICT');
    expect(err.details).toMatchObject({ sessions: 2 });
    expect(await t.agents.exists(a.id)).toBe(true);
    expect(await t.sessions.count({ agentId: a.id })).toBe(2);
    expect(await countLogNodes(t.client, s1.id)).toBe(2);

    const res = await t.agents.purge(a.id, { cascade: true });
    expect(res.sessionsDeleted).toBe(2);
    expect(await countLogNodes(t.client, s1.id)).toBe(0);
    expect(await countLogNodes(t.client, s2.id)).toBe(0);
    expect(await t.agents.exists(a.id, { includeDeleted: true })).toBe(false);
    await expectCode(t.agents.versions(a.id), 'NOT_FOUND');
    const left = await t.client.execute({ sql: 'SELECT count(*) AS n FROM agent_versions WHERE agent_id = ?', args: [a.id] });
    expect(left.rows[0]!['n']).toBe(0);
    await expectCode(t.agents.purge(a.id), 'NOT_FOUND');
  });

  it('purge of an agent without sessions needs no cascade and leaves other agents alone', async () => {
    const a = await t.agents.create({ name: 'A' });
    const b = await t.agents.create({ name: 'B' });
    const sb = await t.sessions.create({ agentId: b.id });
    expect(await t.agents.purge(a.id)).toEqual({ sessionsDeleted: 0 });
    expect(await t.agents.get(b.id)).toMatchObject({ id: b.id });
    expect((await t.sessions.get(sb.id)).agentId).toBe(b.id);
  });

  it('purge with cascade unlinks sub-sessions of other agents instead of deleting them', async () => {
    const a = await t.agents.create({ name: 'A' });
    const b = await t.agents.create({ name: 'B' });
    const parent = await t.sessions.create({ agentId: a.id });
    const child = await t.sessions.create({ agentId: b.id, parentSessionId: parent.id });
    await t.agents.purge(a.id, { cascade: true });
    expect((await t.sessions.get(child.id)).parentSessionId).toBeNull();
  });
});

describe('AgentsRepository list / count / exists', () => {
  async function seed(n: number, name: (i: number) => string): Promise<Agent[]> {
    const out: Agent[] = [];
    for (let i = 0; i < n; i++) out.push(await t.agents.create({ name: name(i), description: `agent number ${i}` }));
    return out;
  }

  it('keyset pages have no duplicates and no gaps, with many equal sort keys, in both directions', async () => {
    // Three distinct names for 23 agents: most rows tie on the sort key, id breaks the tie.
    const agents = await seed(23, (i) => ['beta', 'Alpha', 'gamma'][i % 3]!);
    const expectedAsc = [...agents]
      .sort((x, y) => x.name.toLowerCase().localeCompare(y.name.toLowerCase()) || (x.id < y.id ? -1 : 1))
      .map((a) => a.id);
    for (const limit of [1, 4, 7, 23, 50]) {
      expect(await allIds({ sort: 'name', order: 'asc', limit })).toEqual(expectedAsc);
      expect(await allIds({ sort: 'name', order: 'desc', limit })).toEqual([...expectedAsc].reverse());
    }
    const byCreated = [...agents].sort((x, y) => (x.createdAt + x.id < y.createdAt + y.id ? -1 : 1)).map((a) => a.id);
    expect(await allIds({ sort: 'createdAt', order: 'asc', limit: 5 })).toEqual(byCreated);
    expect(await allIds({ sort: 'createdAt', order: 'desc', limit: 5 })).toEqual([...byCreated].reverse());
  });

  it('updatedAt sort follows edits; the last page has no cursor', async () => {
    const [a, b, c] = await seed(3, (i) => `n${i}`);
    await new Promise((r) => setTimeout(r, 5));
    await t.agents.update(a!.id, { model: 'touched' });
    const page = await t.agents.list({ sort: 'updatedAt', order: 'desc', limit: 3 });
    expect(page.items[0]!.id).toBe(a!.id);
    expect(page.items.map((x) => x.id).sort()).toEqual([a!.id, b!.id, c!.id].sort());
    expect(page.nextCursor).toBeNull();
  });

  it('search matches name or description, case-insensitively, with wildcards taken literally', async () => {
    const a = await t.agents.create({ name: 'Code Reviewer' });
    const b = await t.agents.create({ name: 'Writer', description: 'reviews prose' });
    await t.agents.create({ name: '100% sure' });
    await t.agents.create({ name: '1000 sure' });
    const ids = (await t.agents.list({ search: 'REVIEW' })).items.map((x) => x.id).sort();
    expect(ids).toEqual([a.id, b.id].sort());
    expect((await t.agents.list({ search: '100%' })).items.map((x) => x.name)).toEqual(['100% sure']);
    expect((await t.agents.list({ search: '_' })).items).toHaveLength(0);
    expect(await t.agents.count({ search: 'review' })).toBe(2);
    // Pages of a search keep the filter.
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const p: Awaited<ReturnType<typeof t.agents.list>> = await t.agents.list({ search: 'e', limit: 1, cursor });
      all.push(...p.items.map((x) => x.name));
      cursor = p.nextCursor;
    } while (cursor);
    expect(all).toEqual(['100% sure', '1000 sure', 'Code Reviewer', 'Writer']);
  });

  it('filters by permission mode', async () => {
    const a = await t.agents.create({ name: 'A', permissionMode: 'readOnly' });
    await t.agents.create({ name: 'B', permissionMode: 'bypassPermissions' });
    expect((await t.agents.list({ permissionMode: 'readOnly' })).items.map((x) => x.id)).toEqual([a.id]);
    expect(await t.agents.count({ permissionMode: 'bypassPermissions' })).toBe(1);
  });

  it('refuses cursors made for another sort (bad list options are refused at the boundary: ipc/dispatcher.test.ts)', async () => {
    await seed(3, (i) => `n${i}`);
    const page = await t.agents.list({ sort: 'name', limit: 1 });
    expect(page.nextCursor).not.toBeNull();
    await expectCode(t.agents.list({ sort: 'createdAt', limit: 1, cursor: page.nextCursor }), 'VALIDATION');
    await expectCode(t.agents.list({ sort: 'name', order: 'desc', cursor: page.nextCursor }), 'VALIDATION');
    await expectCode(t.agents.list({ cursor: 'garbage!' }), 'VALIDATION');
  });

  it('exists is true only for live agents by default', async () => {
    const a = await t.agents.create({ name: 'A' });
    expect(await t.agents.exists(a.id)).toBe(true);
    expect(await t.agents.exists('missing')).toBe(false);
  });
});
