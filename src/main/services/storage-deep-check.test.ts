// The deep check's long statements (integrity_check over the whole file, the full-text index
// against the log) run on a worker thread's connection, never on the connection every API call
// uses: on a multi-gigabyte history they take minutes, and @libsql/client runs a file database
// synchronously on its thread.
import { afterEach, expect, it } from 'vitest';
import { EventBus } from '../ipc/events';
import { LogsRepository, openWorkerConnection } from '../logs';
import { openRepoTestDb, recordStatements, type RepoTestDb } from '../repositories/testing';
import { StorageService } from './storage';

let t: RepoTestDb | null = null;
afterEach(() => t?.db.cleanup());

it('runs on its own worker connection and still finds a damaged index', async () => {
  t = await openRepoTestDb();
  const { db } = t;
  const agent = await t.agents.create({ name: 'Checked' });
  const session = await t.sessions.create({ agentId: agent.id });
  await new LogsRepository(t.client).importNodes(session.id, [
    { id: 'n1', parentId: null, kind: 'user_message', content: 'hello deep check', startedAt: '2026-12-03T10:00:00.000Z' },
    { id: 'n2', parentId: 'n1', kind: 'assistant_message', content: 'an answer', startedAt: '2026-12-03T10:00:01.000Z' },
  ]);
  const main = recordStatements(t.client);
  let opened = 0;
  const storage = new StorageService({
    client: t.client,
    dbPath: db.path,
    events: new EventBus(),
    writerIdle: () => true,
    exportSession: () => Promise.reject(new Error('not used')),
    openCheckConnection: () => {
      opened++;
      return openWorkerConnection(db.url);
    },
  });
  expect(await storage.checkNow()).toMatchObject({ state: 'ok', problems: [] });
  expect(opened).toBe(1);
  expect(main.statements.map((s) => s.sql).join('\n')).not.toMatch(/integrity_check|integrity-check|foreign_key_check/);

  // Damage the index behind the log's back: the worker's check still sees it.
  await t.client.execute(`INSERT INTO log_fts (log_fts, rowid, content, tool_name, tool_args, tool_result)
    SELECT 'delete', n, content, tool_name, tool_args, tool_result FROM log_nodes ORDER BY n DESC LIMIT 1`);
  const damaged = await storage.checkNow();
  expect(damaged.problems.map((p) => p.code)).toContain('fts_index');
  main.stop();
});
