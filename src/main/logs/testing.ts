// Test-only helpers for the log store tests: a migrated file database (from the migration files
// in the repo) with an agent, and a way to make sessions for logs to hang off.

import type { Client } from '@libsql/client';
import { openRepoTestDb, type RepoTestDb } from '../repositories/testing.js';
import { LogsRepository } from './repository.js';

export interface LogsTestDb {
  repo: RepoTestDb;
  client: Client;
  logs: LogsRepository;
  /** Path of the database file. */
  path: string;
  url: string;
  newSession(name?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function openLogsTestDb(): Promise<LogsTestDb> {
  const repo = await openRepoTestDb();
  const agent = await repo.agents.create({ name: 'Log test agent' });
  return {
    repo,
    client: repo.client,
    logs: new LogsRepository(repo.client),
    path: repo.db.path,
    url: repo.db.url,
    newSession: async (name = 'log session') => (await repo.sessions.create({ agentId: agent.id, name })).id,
    cleanup: () => repo.db.cleanup(),
  };
}
