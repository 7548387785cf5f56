import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_STATUSES, SESSION_TRANSITIONS, type Agent, type SessionStatus } from '../../shared/domain.js';
import { effectiveConfig } from './effective-config.js';
import { sessionListInputSchema } from '../../shared/ipc/channels/sessions.js';
import { DataError } from './errors.js';
import { addLogNodes, openRepoTestDb, type RepoTestDb } from './testing.js';

let t: RepoTestDb;
let agent: Agent;

beforeEach(async () => {
  t = await openRepoTestDb();
  agent = await t.agents.create({ name: 'Coder', model: 'model-a', instructions: 'v1 instructions', maxSteps: 10, settings: { temperature: 0.5, top: 1 } });
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

/** Puts a fresh session into `status` through legal transitions only. */
async function sessionIn(status: SessionStatus): Promise<string> {
  const s = await t.sessions.create({ agentId: agent.id });
  const path: Record<SessionStatus, SessionStatus[]> = {
    idle: [],
    running: ['running'],
    waiting_for_user_input: ['running', 'waiting_for_user_input'],
    completed: ['completed'],
    failed: ['failed'],
    stopped: ['stopped'],
    interrupted: ['running', 'interrupted'],
    budget_reached: ['running', 'budget_reached'],
  };
  for (const step of path[status]) await t.sessions.transition(s.id, step);
  return s.id;
}

describe('pinned agent versions (the key guarantee)', () => {
  it('editing an agent leaves an old session’s effective config unchanged; a new session gets the new config', async () => {
    const old = await t.sessions.create({ agentId: agent.id, goal: 'fix the bug' });
    expect(old.agentVersion).toBe(1);
    expect(old.effectiveConfig.model).toBe('model-a');

    const edited = await t.agents.update(agent.id, { model: 'model-b', instructions: 'v2 instructions', name: 'Coder 2' });
    expect(edited.version).toBe(2);

    const oldAgain = await t.sessions.get(old.id);
    expect(oldAgain.agentVersion).toBe(1);
    expect(oldAgain.agentVersionId).toBe(old.agentVersionId);
    expect(oldAgain.effectiveConfig).toEqual(old.effectiveConfig);
    expect(oldAgain.effectiveConfig.instructions).toBe('v1 instructions');
    // The agent's display name is its current one.
    expect(oldAgain.agentName).toBe('Coder 2');

    const fresh = await t.sessions.create({ agentId: agent.id });
    expect(fresh.agentVersion).toBe(2);
    expect(fresh.effectiveConfig.model).toBe('model-b');
    expect(fresh.effectiveConfig.instructions).toBe('v2 instructions');
  });

  it('the effective config is the pinned version with each overridden field replaced whole', async () => {
    const s = await t.sessions.create({
      agentId: agent.id,
      overrides: { model: 'override-model', settings: { temperature: 0.1 }, permissionMode: 'readOnly', planModel: null },
    });
    expect(s.overrides).toEqual({ model: 'override-model', settings: { temperature: 0.1 }, permissionMode: 'readOnly' });
    expect(s.effectiveConfig).toMatchObject({
      model: 'override-model',
      permissionMode: 'readOnly',
      instructions: 'v1 instructions',
      maxSteps: 10,
      // replaced, not deep-merged: `top` is gone
      settings: { temperature: 0.1 },
    });
    const pinned = (await t.agents.getVersion(s.agentVersionId)).config;
    expect(s.effectiveConfig).toEqual(effectiveConfig(pinned, s.overrides));
    // Overrides survive an agent edit and still apply on top of the pinned version.
    await t.agents.update(agent.id, { maxSteps: 99 });
    expect((await t.sessions.get(s.id)).effectiveConfig.maxSteps).toBe(10);
  });

  it('override patches set, clear (null = inherit) and leave other keys alone', async () => {
    const s = await t.sessions.create({ agentId: agent.id, overrides: { model: 'o1', maxSteps: 3 } });
    const u = await t.sessions.update(s.id, { overrides: { model: null, smallModel: 'small', builtinTools: ['read', 'write'] } });
    expect(u.overrides).toEqual({ maxSteps: 3, smallModel: 'small', builtinTools: ['read', 'write'] });
    expect(u.effectiveConfig.model).toBe('model-a');
    expect(u.effectiveConfig.builtinTools).toEqual(['read', 'write']);
  });
});

describe('SessionsRepository create / get / update', () => {
  it('creates an idle session with defaults', async () => {
    const s = await t.sessions.create({ agentId: agent.id, goal: '\n  Refactor the parser\nthen test it' });
    expect(s).toMatchObject({
      agentId: agent.id,
      name: 'Refactor the parser',
      status: 'idle',
      parentSessionId: null,
      externalId: null,
      startedAt: null,
      endedAt: null,
      tokensIn: 0,
      costUsd: 0,
      archivedAt: null,
      deletedAt: null,
      agentName: 'Coder',
    });
    expect((await t.sessions.create({ agentId: agent.id })).name).toBe('New session');
    expect((await t.sessions.create({ agentId: agent.id, name: ' Named ' })).name).toBe('Named');
  });

  it('refuses unknown or deleted agents, unknown parents and duplicate external ids', async () => {
    expect((await t.sessions.create({ agentId: agent.id, name: '', goal: 'Sort the inbox' })).name).toBe('Sort the inbox');
    await expectCode(t.sessions.create({ agentId: 'missing' }), 'NOT_FOUND');
    await expectCode(t.sessions.create({ agentId: agent.id, parentSessionId: 'missing' }), 'NOT_FOUND');
    await t.sessions.create({ agentId: agent.id, externalId: 'ext-1' });
    await expectCode(t.sessions.create({ agentId: agent.id, externalId: 'ext-1' }), 'CONFLICT');
    const gone = await t.agents.create({ name: 'Gone' });
    await t.agents.softDelete(gone.id);
    await expectCode(t.sessions.create({ agentId: gone.id }), 'CONFLICT');
  });

  it('getByExternalId finds the session or returns null', async () => {
    const s = await t.sessions.create({ agentId: agent.id, externalId: 'claude-123' });
    expect((await t.sessions.getByExternalId('claude-123'))?.id).toBe(s.id);
    expect(await t.sessions.getByExternalId('other')).toBeNull();
  });

  it('sub-sessions link to their parent and list under it', async () => {
    const parent = await t.sessions.create({ agentId: agent.id });
    const c1 = await t.sessions.create({ agentId: agent.id, parentSessionId: parent.id });
    const c2 = await t.sessions.create({ agentId: agent.id, parentSessionId: parent.id });
    expect(c1.parentSessionId).toBe(parent.id);
    const kids = await t.sessions.list({ parentSessionId: parent.id, sort: 'createdAt', order: 'asc' });
    expect(kids.items.map((s) => s.id)).toEqual([c1.id, c2.id]);
    // Hard-deleting the parent keeps the children, unlinked.
    await t.sessions.delete(parent.id);
    expect((await t.sessions.get(c1.id)).parentSessionId).toBeNull();
  });

  it('update changes only the given fields and bumps updatedAt', async () => {
    const s = await t.sessions.create({ agentId: agent.id, name: 'a', goal: 'g' });
    await new Promise((r) => setTimeout(r, 3));
    const u = await t.sessions.update(s.id, { name: 'b', result: 'done', error: null });
    expect(u).toMatchObject({ name: 'b', goal: 'g', result: 'done', error: null });
    expect(u.updatedAt > s.updatedAt).toBe(true);
    expect((await t.sessions.update(s.id, { goal: null })).goal).toBeNull();
    expect((await t.sessions.update(s.id, {})).name).toBe('b');
    await expectCode(t.sessions.update('missing', { name: 'x' }), 'NOT_FOUND');
  });
});

describe('status transitions', () => {
  it('allows exactly the transitions in SESSION_TRANSITIONS (repository)', async () => {
    for (const from of SESSION_STATUSES) {
      for (const to of SESSION_STATUSES) {
        const id = await sessionIn(from);
        const legal = SESSION_TRANSITIONS[from].includes(to);
        if (legal) {
          const s = await t.sessions.transition(id, to);
          expect(s.status).toBe(to);
        } else {
          const err = await expectCode(t.sessions.transition(id, to), 'CONFLICT');
          expect(err.details).toMatchObject({ from, to });
          expect((await t.sessions.get(id)).status).toBe(from);
        }
      }
    }
  });

  it('the database trigger refuses the same illegal transitions from any writer', async () => {
    for (const from of SESSION_STATUSES) {
      for (const to of SESSION_STATUSES) {
        if (from === to) continue;
        const id = await sessionIn(from);
        const raw = t.client.execute({ sql: 'UPDATE sessions SET status = ? WHERE id = ?', args: [to, id] });
        if (SESSION_TRANSITIONS[from].includes(to)) {
          await expect(raw).resolves.toBeDefined();
        } else {
          await expect(raw).rejects.toThrow(/illegal session status transition/);
        }
      }
    }
  });

  it('stamps startedAt on first run, endedAt on end, clears them on resume, keeps result, stores error', async () => {
    const s = await t.sessions.create({ agentId: agent.id });
    const r1 = await t.sessions.transition(s.id, 'running');
    expect(r1.startedAt).not.toBeNull();
    expect(r1.endedAt).toBeNull();
    const f = await t.sessions.transition(s.id, 'failed', { error: 'model timeout' });
    expect(f.error).toBe('model timeout');
    expect(f.endedAt! >= f.startedAt!).toBe(true);
    const r2 = await t.sessions.transition(s.id, 'running');
    expect(r2.startedAt).toBe(r1.startedAt);
    expect(r2.endedAt).toBeNull();
    expect(r2.error).toBeNull();
    const w = await t.sessions.transition(s.id, 'waiting_for_user_input');
    expect(w.endedAt).toBeNull();
    await t.sessions.transition(s.id, 'running');
    const c = await t.sessions.transition(s.id, 'completed', { result: 'all green' });
    expect(c.result).toBe('all green');
    expect(c.endedAt).not.toBeNull();
    // Statuses are typed (no outside input reaches transition()); an unknown one is simply no legal move.
    await expectCode(t.sessions.transition(s.id, 'bogus' as never), 'CONFLICT');
    await expectCode(t.sessions.transition('missing', 'running'), 'NOT_FOUND');
  });

  it('two racing transitions from the same status: exactly one wins', async () => {
    const id = await sessionIn('running');
    const results = await Promise.allSettled([t.sessions.transition(id, 'completed'), t.sessions.transition(id, 'failed')]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    const final = (await t.sessions.get(id)).status;
    expect(['completed', 'failed']).toContain(final);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(DataError);
    expect((loser.reason as DataError).code).toBe('CONFLICT');
  });

  it('markRunningAsInterrupted interrupts running sessions only; waiting ones keep their question', async () => {
    const running1 = await sessionIn('running');
    const running2 = await sessionIn('running');
    const waiting = await sessionIn('waiting_for_user_input');
    const idle = await sessionIn('idle');
    const done = await sessionIn('completed');
    expect(await t.sessions.markRunningAsInterrupted()).toBe(2);
    for (const id of [running1, running2]) {
      const s = await t.sessions.get(id);
      expect(s.status).toBe('interrupted');
      expect(s.endedAt).not.toBeNull();
    }
    expect((await t.sessions.get(waiting)).status).toBe('waiting_for_user_input');
    expect((await t.sessions.get(idle)).status).toBe('idle');
    expect((await t.sessions.get(done)).status).toBe('completed');
    expect(await t.sessions.markRunningAsInterrupted()).toBe(0);
    // An interrupted session can be resumed.
    expect((await t.sessions.transition(running1, 'running')).status).toBe('running');
  });
});

describe('usage totals', () => {
  it('addUsage increments atomically, also under concurrency', async () => {
    const s = await t.sessions.create({ agentId: agent.id });
    await Promise.all(
      Array.from({ length: 20 }, () => t.sessions.addUsage(s.id, { tokensIn: 10, tokensOut: 5, tokensReasoning: 2, tokensCached: 1, costUsd: 0.25 })),
    );
    await t.sessions.addUsage(s.id, { tokensOut: 1 });
    const after = await t.sessions.get(s.id);
    expect(after).toMatchObject({ tokensIn: 200, tokensOut: 101, tokensReasoning: 40, tokensCached: 20 });
    expect(after.costUsd).toBeCloseTo(5, 10);
  });

  it('refuses unknown sessions (bad token counts are refused where the provider reports them: runtime/run/step-log.test.ts)', async () => {
    const s = await t.sessions.create({ agentId: agent.id });
    await expectCode(t.sessions.addUsage('missing', { tokensIn: 1 }), 'NOT_FOUND');
    expect((await t.sessions.get(s.id)).tokensIn).toBe(0);
  });
});

describe('archive / soft delete / delete', () => {
  it('archived and deleted sessions leave the default list, have their own views, and come back', async () => {
    const a = await t.sessions.create({ agentId: agent.id });
    const b = await t.sessions.create({ agentId: agent.id });
    const c = await t.sessions.create({ agentId: agent.id });
    const arch = await t.sessions.archive(a.id);
    expect(arch.archivedAt).not.toBeNull();
    expect((await t.sessions.archive(a.id)).archivedAt).toBe(arch.archivedAt);
    await t.sessions.softDelete(b.id);
    const ids = async (o: Parameters<typeof t.sessions.list>[0]) => (await t.sessions.list(o)).items.map((s) => s.id).sort();
    expect(await ids({})).toEqual([c.id]);
    expect(await ids({ archived: 'only' })).toEqual([a.id]);
    expect(await ids({ archived: 'include' })).toEqual([a.id, c.id].sort());
    expect(await ids({ deleted: 'only' })).toEqual([b.id]);
    expect(await ids({ archived: 'include', deleted: 'include' })).toEqual([a.id, b.id, c.id].sort());
    expect(await t.sessions.count()).toBe(1);
    expect((await t.sessions.unarchive(a.id)).archivedAt).toBeNull();
    expect((await t.sessions.restore(b.id)).deletedAt).toBeNull();
    expect(await t.sessions.count()).toBe(3);
    await expectCode(t.sessions.archive('missing'), 'NOT_FOUND');
  });

  it('delete removes the session and its log rows; other sessions keep theirs', async () => {
    const s = await t.sessions.create({ agentId: agent.id });
    const other = await t.sessions.create({ agentId: agent.id });
    for (const sid of [s.id, other.id]) await addLogNodes(t.client, sid);
    const nodes = async (sid: string) =>
      (await t.client.execute({ sql: 'SELECT count(*) AS n FROM log_nodes WHERE session_id = ?', args: [sid] })).rows[0]!['n'];
    expect(await nodes(s.id)).toBe(2);
    await t.sessions.delete(s.id);
    await expectCode(t.sessions.get(s.id), 'NOT_FOUND');
    await expectCode(t.sessions.delete(s.id), 'NOT_FOUND');
    expect(await nodes(s.id)).toBe(0);
    expect(await nodes(other.id)).toBe(2);
    const fk = await t.client.execute('SELECT count(*) AS n FROM pragma_foreign_key_check');
    expect(fk.rows[0]!['n']).toBe(0);
  });
});

describe('list', () => {
  it('keyset pages by agent, status and search, with no duplicates or gaps', async () => {
    const other = await t.agents.create({ name: 'Other' });
    const mine: string[] = [];
    for (let i = 0; i < 17; i++) {
      const s = await t.sessions.create({ agentId: agent.id, name: i % 2 ? 'same name' : 'Same Name' });
      mine.push(s.id);
      await t.sessions.create({ agentId: other.id, name: 'noise' });
    }
    for (const [sort, direction] of [
      ['createdAt', 'asc'],
      ['createdAt', 'desc'],
      ['name', 'asc'],
      ['updatedAt', 'desc'],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof t.sessions.list>> = await t.sessions.list({ agentId: agent.id, sort, order: direction, limit: 4, cursor });
        expect(page.items.length).toBeLessThanOrEqual(4);
        seen.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...mine].sort());
      if (sort === 'createdAt') expect(seen).toEqual(direction === 'asc' ? mine : [...mine].reverse());
      if (sort === 'name') expect(seen).toEqual([...mine].sort()); // all names tie (NOCASE): id order
    }
    const running = await t.sessions.transition(mine[3]!, 'running');
    await t.sessions.transition(mine[5]!, 'failed');
    const bySt = await t.sessions.list({ status: ['running', 'failed'], sort: 'createdAt', order: 'asc' });
    expect(bySt.items.map((s) => s.id)).toEqual([mine[3], mine[5]]);
    expect(bySt.items[0]!.agentVersion).toBe(1);
    expect((await t.sessions.list({ status: ['running'] })).items[0]!.startedAt).toBe(running.startedAt);
    expect(await t.sessions.count({ agentId: other.id, search: 'NOI' })).toBe(17);
    // An empty status list is "any status" (the contract's meaning); a bad one never gets here:
    // the contract's schema refuses it at the boundary.
    expect((await t.sessions.list({ agentId: agent.id, status: [] })).items).toHaveLength(17);
    expect(sessionListInputSchema.safeParse({ status: ['bogus'] }).success).toBe(false);
  });

  it("sorts by status for real (the contract's 'status' sort), paging on (status, id) in both orders", async () => {
    const made: Array<{ id: string; status: string }> = [];
    for (const to of ['running', 'failed', null, 'completed', 'running', null, 'failed'] as const) {
      const s = await t.sessions.create({ agentId: agent.id });
      if (to === 'completed') await t.sessions.transition(s.id, 'running');
      if (to) await t.sessions.transition(s.id, to);
      made.push({ id: s.id, status: to ?? 'idle' });
    }
    const expected = [...made].sort((a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : a.id < b.id ? -1 : 1));
    for (const order of ['asc', 'desc'] as const) {
      const seen: Array<{ id: string; status: string }> = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof t.sessions.list>> = await t.sessions.list({ sort: 'status', order, limit: 2, cursor });
        seen.push(...page.items.map((s) => ({ id: s.id, status: s.status })));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(order === 'asc' ? expected : [...expected].reverse());
    }
    // A cursor is only valid for the sort it was made for.
    const first = await t.sessions.list({ sort: 'status', limit: 1 });
    await expectCode(t.sessions.list({ sort: 'createdAt', limit: 1, cursor: first.nextCursor }), 'VALIDATION');
  });

  it('search looks at name and goal', async () => {
    const a = await t.sessions.create({ agentId: agent.id, name: 'Deploy', goal: 'ship v2' });
    const b = await t.sessions.create({ agentId: agent.id, name: 'Other', goal: 'write the DEPLOY notes' });
    await t.sessions.create({ agentId: agent.id, name: 'Unrelated' });
    const found = (await t.sessions.list({ search: 'deploy' })).items.map((s) => s.id).sort();
    expect(found).toEqual([a.id, b.id].sort());
  });
});
