// Fixture test for 0003_session_logs (Signal's pattern): seed at 0002, migrate to 0003, check the
// seeded rows survive and the log store works on them; check that every query the repository
// actually sends uses an index; roll back and forward again.

import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../repositories/index.js';
import { queryPlan, recordStatements, oldSchemaSessions, migrationFixture } from '../repositories/testing.js';
import { LogsRepository } from './repository.js';
import { LogWriter } from './writer.js';

const { db, withMigrator: migrator, location } = migrationFixture('paddock-logs-mig-');

async function tableNames(c: Client): Promise<string[]> {
  const rs = await c.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'log%' ORDER BY name");
  return rs.rows.map((r) => String(r.name));
}

describe('0003_session_logs', () => {
  it('seeded at 0002, migrated to 0003: sessions survive and carry logs; rollback drops only the log tables', async () => {
    await migrator((m) => m.migrate({ to: 2 }));
    const seeded = await db();
    const agent = await createRepositories(seeded).agents.create({ name: 'Seeded' });
    const s1 = { id: await oldSchemaSessions.insert(seeded, { id: 'seeded-one', agentId: agent.id, name: 'one' }) };
    const s2 = { id: await oldSchemaSessions.insert(seeded, { id: 'seeded-two', agentId: agent.id, name: 'two' }) };

    await migrator((m) => m.migrate({ to: 3 }));
    const c = await db();
    expect(await tableNames(c)).toEqual(expect.arrayContaining(['log_chunks', 'log_fts', 'log_nodes']));
    expect((await oldSchemaSessions.get(c, s1.id)).name).toBe('one');

    // Today's writer writes today's schema (it folds chunks into 0030's log_spans).
    await migrator((m) => m.migrate());
    const w = await LogWriter.open(location());
    const root = w.startNode({ sessionId: s1.id, kind: 'user_message', status: 'complete', content: 'hi there' });
    const reply = w.startNode({ sessionId: s1.id, parentId: root, kind: 'assistant_message' });
    w.appendDelta(reply, 'hello');
    w.finishNode(reply, { status: 'complete' });
    await w.close();
    const logs = new LogsRepository(await db());
    expect((await logs.tree(s1.id)).map((n) => n.content)).toEqual(['hi there', 'hello']);
    expect(await logs.count(s2.id)).toBe(0);

    // Deleting a session takes its log with it (ON DELETE CASCADE).
    await createRepositories(await db()).sessions.delete(s1.id);
    expect(await logs.count(s1.id)).toBe(0);

    await migrator((m) => m.rollback({ to: 2 }));
    const c2 = await db();
    expect(await tableNames(c2)).toEqual([]);
    expect((await oldSchemaSessions.get(c2, s2.id)).name).toBe('two');
    await migrator((m) => m.migrate({ to: 3 }));
    expect(await tableNames(await db())).toEqual(expect.arrayContaining(['log_chunks', 'log_fts', 'log_nodes']));
  });

  it('every query the log repository sends uses an index', async () => {
    await migrator((m) => m.migrate());
    const c = await db();
    const { agents, sessions } = createRepositories(c);
    const agent = await agents.create({ name: 'A' });
    const s = await sessions.create({ agentId: agent.id });
    const logs = new LogsRepository(c);
    const rec = recordStatements(c);
    const { idMap } = await logs.importNodes(s.id, [
      { id: 'a', kind: 'user_message', content: 'find me', startedAt: '2026-01-01T00:00:00.000Z' },
      { id: 'b', parentId: 'a', kind: 'assistant_message', content: 'ok', startedAt: '2026-01-01T00:00:01.000Z' },
    ]);
    const a = idMap.get('a')!;
    await logs.tree(s.id);
    const p = await logs.page(s.id, { limit: 1 });
    await logs.page(s.id, { limit: 1, cursor: p.nextCursor });
    await logs.children(a);
    await logs.children({ sessionId: s.id, parentId: null });
    await logs.latest(s.id, 5);
    await logs.count(s.id);
    await logs.get(a);
    await logs.locate(a);
    await logs.chunks(a);
    await logs.search({ query: 'find', sessionId: s.id });
    await logs.search({ query: 'find', order: 'tree' });
    await logs.deleteBySession(s.id);
    rec.stop();

    let checked = 0;
    for (const st of rec.statements) {
      if (/^\s*INSERT/i.test(st.sql)) continue;
      // A search's own temporary tables are gone by now; search-terms.test.ts checks those plans.
      if (/\btemp\./i.test(st.sql)) continue;
      const plan = await queryPlan(c, st.sql, st.args);
      // A full scan of a real table is a missing index. Scanning a subquery's or CTE's own rows
      // (CO-ROUTINE, MATERIALIZE) or FTS5's virtual table (a MATCH lookup) is not.
      const coroutines = new Set(plan.flatMap((d) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(d)?.[1] ?? []));
      const scans = plan.filter((d) => /^SCAN /.test(d) && !/VIRTUAL TABLE|CONSTANT ROW/.test(d) && !coroutines.has(d.split(' ')[1]!));
      expect(scans, `${st.sql}\n${plan.join(' | ')}`).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });
});
