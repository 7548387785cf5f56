import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../shared/domain.js';
import { sessionListInputSchema, sessionTagInputSchema } from '../../shared/ipc/channels/sessions.js';
import { DataError } from './errors.js';
import { openRepoTestDb, queryPlan, recordStatements, type RepoTestDb } from './testing.js';

let t: RepoTestDb;
let agent: Agent;

beforeEach(async () => {
  t = await openRepoTestDb();
  agent = await t.agents.create({ name: 'Coder' });
});
afterEach(async () => {
  await t.db.cleanup();
});

async function errorOf(p: Promise<unknown>): Promise<DataError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

const names = (page: { items: Array<{ name: string }> }) => page.items.map((s) => s.name);

describe('pins', () => {
  it('a pin is stored, read back with the session and in lists, idempotent, and removable', async () => {
    const a = await t.sessions.create({ agentId: agent.id, name: 'a' });
    const b = await t.sessions.create({ agentId: agent.id, name: 'b' });
    expect(a.pinnedAt).toBeNull();

    await t.sessions.marks.setPinned(a.id, true);
    const pinned = await t.sessions.get(a.id);
    expect(pinned.pinnedAt).toMatch(/^\d{4}-/);
    await t.sessions.marks.setPinned(a.id, true); // again: keeps the first pin time
    expect((await t.sessions.get(a.id)).pinnedAt).toBe(pinned.pinnedAt);

    expect(names(await t.sessions.list({ agentId: agent.id, pinned: 'only' }))).toEqual(['a']);
    expect(names(await t.sessions.list({ agentId: agent.id, pinned: 'exclude' }))).toEqual(['b']);
    expect(names(await t.sessions.list({ agentId: agent.id }))).toEqual(['b', 'a']);
    expect((await t.sessions.list({ agentId: agent.id })).items.find((s) => s.id === a.id)?.pinnedAt).toBe(pinned.pinnedAt);

    await t.sessions.marks.setPinned(a.id, false);
    expect((await t.sessions.get(a.id)).pinnedAt).toBeNull();
    expect(names(await t.sessions.list({ agentId: agent.id, pinned: 'only' }))).toEqual([]);
    expect(b.pinnedAt).toBeNull();
  });

  it('NOT_FOUND for an unknown session; the pin goes with a purged session', async () => {
    expect((await errorOf(t.sessions.marks.setPinned('01900000-0000-7000-8000-000000000000', true))).code).toBe('NOT_FOUND');
    const s = await t.sessions.create({ agentId: agent.id });
    await t.sessions.marks.setPinned(s.id, true);
    await t.sessions.delete(s.id);
    expect((await t.client.execute('SELECT count(*) AS n FROM session_pins')).rows[0]!['n']).toBe(0);
  });
});

describe('tags', () => {
  const tagInput = (id: string, add: string[], remove: string[] = []) => sessionTagInputSchema.parse({ id, add, remove });

  it('tags are normalised, validated at the contract, sorted, and read back with every session', async () => {
    const s = await t.sessions.create({ agentId: agent.id });
    const input = tagInput(s.id, ['  Bug ', 'release/2.0', 'bug']);
    expect(input.add).toEqual(['bug', 'release/2.0', 'bug']);
    await t.sessions.marks.tag(s.id, input.add, input.remove);
    expect((await t.sessions.get(s.id)).tags).toEqual(['bug', 'release/2.0']);
    expect((await t.sessions.list({ agentId: agent.id })).items[0]!.tags).toEqual(['bug', 'release/2.0']);

    for (const bad of ['', 'two words', 'a'.repeat(41), '-leading', 'semi;colon', 'tab\there']) {
      expect(sessionTagInputSchema.safeParse({ id: s.id, add: [bad] }).success, JSON.stringify(bad)).toBe(false);
    }
    expect(sessionTagInputSchema.safeParse({ id: s.id, add: ['ünïcode', '日本', 'v1.2_x-y'] }).success).toBe(true);
  });

  it('removes and adds in one change; a tag in both ends up removed', async () => {
    const s = await t.sessions.create({ agentId: agent.id });
    await t.sessions.marks.tag(s.id, ['a', 'b'], []);
    await t.sessions.marks.tag(s.id, ['c', 'b'], ['a', 'b']);
    expect((await t.sessions.get(s.id)).tags).toEqual(['c']);
  });

  it('a session holds at most 20 tags: more is VALIDATION and changes nothing', async () => {
    const s = await t.sessions.create({ agentId: agent.id });
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`);
    await t.sessions.marks.tag(s.id, twenty, []);
    // Adding tags it already has is no addition.
    await t.sessions.marks.tag(s.id, ['t0', 't1'], []);
    const err = await errorOf(t.sessions.marks.tag(s.id, ['one-more', 'two-more'], ['t0']));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/at most 20 tags/);
    // The removal in the refused change was rolled back with it.
    expect((await t.sessions.get(s.id)).tags).toHaveLength(20);
    expect((await t.sessions.get(s.id)).tags).toContain('t0');
    // The schema itself refuses tags that are not short lower-case words.
    await expect(t.client.execute({ sql: "INSERT INTO session_tags VALUES (?, 'Upper', '2026-01-01T00:00:00.000Z')", args: [s.id] })).rejects.toThrow();
  });

  it('filters by every given tag, with and without pins, and counts tags for suggestions', async () => {
    const mk = async (name: string, tags: string[]) => {
      const s = await t.sessions.create({ agentId: agent.id, name });
      await t.sessions.marks.tag(s.id, tags, []);
      return s;
    };
    const one = await mk('one', ['bug', 'ui']);
    await mk('two', ['bug']);
    await mk('three', ['ui']);
    await mk('four', []);
    const other = await t.agents.create({ name: 'Other' });
    const elsewhere = await t.sessions.create({ agentId: other.id, name: 'elsewhere' });
    await t.sessions.marks.tag(elsewhere.id, ['bug'], []);

    expect(names(await t.sessions.list({ agentId: agent.id, tags: ['bug'] }))).toEqual(['two', 'one']);
    expect(names(await t.sessions.list({ agentId: agent.id, tags: ['bug', 'ui'] }))).toEqual(['one']);
    expect(names(await t.sessions.list({ agentId: agent.id, tags: ['nope'] }))).toEqual([]);
    await t.sessions.marks.setPinned(one.id, true);
    expect(names(await t.sessions.list({ agentId: agent.id, tags: ['bug'], pinned: 'exclude' }))).toEqual(['two']);
    expect(await t.sessions.count({ agentId: agent.id, tags: ['ui'] })).toBe(2);

    expect(await t.sessions.marks.tagCounts(agent.id, 100)).toEqual([
      { tag: 'bug', count: 2 },
      { tag: 'ui', count: 2 },
    ]);
    expect(await t.sessions.marks.tagCounts(null, 1)).toEqual([{ tag: 'bug', count: 3 }]);
    // Trashed sessions suggest nothing.
    await t.sessions.softDelete(elsewhere.id);
    expect(await t.sessions.marks.tagCounts(null, 100)).toEqual([
      { tag: 'bug', count: 2 },
      { tag: 'ui', count: 2 },
    ]);
  });
});

describe('the source of imported sessions', () => {
  it('is read with the session and in lists (null for sessions run here)', async () => {
    const mine = await t.sessions.create({ agentId: agent.id, name: 'mine' });
    const imported = await t.sessions.create({ agentId: agent.id, name: 'imported' });
    await t.client.execute({
      sql: "INSERT INTO session_sources (session_id, format, imported_at) VALUES (?, 'claude-code', '2026-01-01T00:00:00.000Z')",
      args: [imported.id],
    });
    expect(mine.source).toBeNull();
    expect((await t.sessions.get(imported.id)).source).toBe('claude-code');
    const listed = (await t.sessions.list({ agentId: agent.id })).items;
    expect(listed.map((s) => [s.name, s.source])).toEqual([
      ['imported', 'claude-code'],
      ['mine', null],
    ]);
  });
});

describe('list queries on a large history', () => {
  it('one statement per page on 10,000 sessions, every table read through an index', async () => {
    // 10,000 sessions, every 10th tagged, every 500th pinned, every 7th imported (plain SQL: fast).
    const v = (await t.client.execute({ sql: 'SELECT id FROM agent_versions WHERE agent_id = ?', args: [agent.id] })).rows[0]!['id'];
    await t.client.batch(
      [
        {
          sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO sessions (id, agent_id, agent_version_id, name, status, overrides, created_at, updated_at)
SELECT printf('01900000-0000-7000-8000-%012d', i), ?, ?, 'seeded ' || i, 'completed', '{}',
       strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' seconds'), strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' seconds') FROM n`,
          args: [agent.id, v!],
        },
        { sql: "INSERT INTO session_tags SELECT id, 'bug', created_at FROM sessions WHERE CAST(substr(id, 25) AS INTEGER) % 10 = 0", args: [] },
        { sql: "INSERT INTO session_pins SELECT id, created_at FROM sessions WHERE CAST(substr(id, 25) AS INTEGER) % 500 = 0", args: [] },
        { sql: "INSERT INTO session_sources (session_id, format, imported_at) SELECT id, 'codex', created_at FROM sessions WHERE CAST(substr(id, 25) AS INTEGER) % 7 = 0", args: [] },
      ],
      'write',
    );
    await t.client.execute('ANALYZE');

    const rec = recordStatements(t.client);
    const pinned = await t.sessions.list(sessionListInputSchema.parse({ agentId: agent.id, pinned: 'only', limit: 500 }));
    const rest = await t.sessions.list(sessionListInputSchema.parse({ agentId: agent.id, pinned: 'exclude' }));
    const tagged = await t.sessions.list(sessionListInputSchema.parse({ agentId: agent.id, tags: ['bug'], pinned: 'exclude' }));
    const page2 = await t.sessions.list(sessionListInputSchema.parse({ agentId: agent.id, tags: ['bug'], pinned: 'exclude', cursor: tagged.nextCursor }));
    await t.sessions.marks.tagCounts(agent.id, 100);
    rec.stop();

    expect(pinned.items).toHaveLength(20);
    expect(rest.items).toHaveLength(50);
    expect(rest.items.every((s) => s.pinnedAt === null)).toBe(true);
    expect(tagged.items.every((s) => s.tags?.includes('bug'))).toBe(true);
    expect(page2.items).toHaveLength(50);
    expect(rest.items.filter((s) => s.source === 'codex').length).toBeGreaterThan(0);
    // One statement per page (marks come with the rows), plus the tag count.
    expect(rec.statements).toHaveLength(5);
    // The pinned ones are few: that query starts from session_pins and sorts just them.
    expect((await queryPlan(t.client, rec.statements[0]!.sql, rec.statements[0]!.args)).join('\n')).toMatch(/session_pins/);
    // The plain page walks the sort index; a tag filter starts from session_tags_tag (the
    // planner may sort the tagged rows it found). Nothing reads a table without an index.
    expect((await queryPlan(t.client, rec.statements[1]!.sql, rec.statements[1]!.args)).join('\n')).not.toMatch(/TEMP B-TREE/);
    for (const st of rec.statements) {
      const plan = await queryPlan(t.client, st.sql, st.args);
      expect(plan.filter((l) => /^SCAN (s|sessions|session_tags|t|session_pins|p|session_sources|src)\b/.test(l) && !/USING/.test(l)), st.sql).toEqual([]);
    }
  });
});
