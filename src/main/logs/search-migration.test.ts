// Fixture test for 0040_log_search_by_session: a database with logs indexed the 0003 way is
// migrated, its existing nodes are found by the per-session search, the index stays consistent
// through later writes and deletes, and rolling back restores a working 0003 index.

import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { readMigrationsDir } from '../db/migrator/index.js';
import { createRepositories } from '../repositories/index.js';
import { MIGRATIONS_DIR, migrationFixture } from '../repositories/testing.js';
import { LogsRepository } from './repository.js';

const { db, withMigrator: migrator } = migrationFixture('paddock-search-mig-');

/** The newest migration before 0040 (other migrations may land between 0005 and 0040). */
const BEFORE = Math.max(...readMigrationsDir(MIGRATIONS_DIR).map((m) => Number(/^\d+/.exec(m.file)?.[0])).filter((id) => id < 40));

async function integrity(c: Client): Promise<void> {
  await c.execute("INSERT INTO log_fts (log_fts) VALUES ('integrity-check')");
}

describe('0040_log_search_by_session', () => {
  it('re-indexes existing logs by session; writes and deletes keep the index consistent; rollback restores 0003', async () => {
    await migrator((m) => m.migrate({ to: BEFORE }));
    const seeded = await db();
    const { agents } = createRepositories(seeded);
    const agent = await agents.create({ name: 'Seeded' });
    // Sessions in SQL of this schema: today's repositories read tables added after 0040.
    const session = async (id: string, name: string) => {
      await seeded.execute({
        sql: `INSERT INTO sessions (id, agent_id, agent_version_id, name, status, overrides, created_at, updated_at)
              SELECT ?, a.id, v.id, ?, 'idle', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
              FROM agents a JOIN agent_versions v ON v.agent_id = a.id AND v.version = a.version WHERE a.id = ?`,
        args: [id, name, agent.id],
      });
      return id;
    };
    const s1 = await session('seeded-one', 'one');
    const s2 = await session('seeded-two', 'two');
    const at = '2026-01-01T00:00:00.000Z';
    const old = new LogsRepository(seeded);
    await old.importNodes(s1, [
      { id: 'a', kind: 'user_message', content: 'find the walrus', startedAt: at },
      { id: 'b', parentId: 'a', kind: 'system', content: '', startedAt: at }, // no text: never indexed
      { id: 'c', parentId: 'a', kind: 'action', toolName: 'read_file', toolArgs: { path: 'walrus.md' }, startedAt: at },
    ], { newIds: false });
    await old.importNodes(s2, [{ id: 'd', kind: 'assistant_message', content: 'a walrus elsewhere', startedAt: at }], { newIds: false });

    await migrator((m) => m.migrate({ to: 40 }));
    const c = await db();
    await integrity(c);
    const logs = new LogsRepository(c);
    const inS1 = await logs.searchPage({ query: 'walrus', sessionId: s1, order: 'tree' });
    expect(inS1.items.map((h) => h.nodeId)).toEqual(['a', 'c']);
    expect((await logs.searchPage({ query: 'walrus' })).items.map((h) => h.nodeId).sort()).toEqual(['a', 'c', 'd']);
    // A session id never matches as a word.
    expect(await logs.search({ query: Buffer.from(s1).toString('hex').slice(0, 12) })).toEqual([]);

    // Later writes go through the new triggers: an update of a never-indexed node, a delete.
    await c.execute({ sql: "UPDATE log_nodes SET content = 'walrus too' WHERE id = 'b'" });
    expect((await logs.searchPage({ query: 'walrus', sessionId: s1, order: 'tree' })).items.map((h) => h.nodeId)).toEqual(['a', 'b', 'c']);
    await createRepositories(c).sessions.delete(s2);
    await integrity(c);
    expect((await logs.searchPage({ query: 'walrus' })).items.map((h) => h.nodeId).sort()).toEqual(['a', 'b', 'c']);

    await migrator((m) => m.rollback({ to: BEFORE }));
    const back = await db();
    await integrity(back);
    const rs = await back.execute("SELECT rowid FROM log_fts WHERE log_fts MATCH 'walrus' ORDER BY rowid");
    expect(rs.rows).toHaveLength(3);
    const view = await back.execute("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'log_fts_source'");
    expect(Number(view.rows[0]!.n)).toBe(0);
  });
});
