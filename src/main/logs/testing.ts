// Test-only helpers for the log store tests: a migrated file database (from the migration files
// in the repo) with an agent, and a way to make sessions for logs to hang off.

import type { Client } from '@libsql/client';
import { afterEach, beforeEach } from 'vitest';
import { openRepoTestDb, type RepoTestDb } from '../repositories/testing.js';
import { LogsRepository, type ImportLogNode } from './repository.js';
import { seededRandom } from '../../shared/seeded-random.js';

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

/**
 * Registers hooks that give each test of the file a fresh log test database with one session in
 * it (handed to `set`), and remove the database after the test.
 */
export function eachTestLogsDb(set: (db: LogsTestDb, sessionId: string) => void): void {
  let db: LogsTestDb | undefined;
  beforeEach(async () => {
    db = await openLogsTestDb();
    set(db, await db.newSession());
  });
  afterEach(async () => {
    await db?.cleanup();
  });
}

/**
 * `count` nodes in turns of four: a user message (root), an answer, a tool call naming the file
 * needle-<i>.txt, another answer. `text(i)` is the content of node i (tool calls have none).
 */
export function needleTurns(count: number, prefix: string, startMs: number, text: (i: number) => string): ImportLogNode[] {
  const nodes: ImportLogNode[] = [];
  for (let i = 0; i < count; i++) {
    const root = `${prefix}${i - (i % 4)}`;
    nodes.push({
      id: `${prefix}${i}`,
      parentId: i % 4 === 0 ? null : root,
      kind: i % 4 === 0 ? 'user_message' : i % 4 === 2 ? 'action' : 'assistant_message',
      content: i % 4 === 2 ? '' : text(i),
      ...(i % 4 === 2 ? { toolName: 'read_file', toolArgs: { path: `needle-${i}.txt` } } : {}),
      status: 'complete',
      startedAt: new Date(startMs + i * 1000).toISOString(),
    });
  }
  return nodes;
}


/** A random tree (node i's parent is an earlier node or none) and its expected pre-order. */
export function randomTree(count: number, seed: number): { nodes: ImportLogNode[]; preorder: string[] } {
  const r = seededRandom(seed);
  const base = Date.parse('2026-03-01T10:00:00.000Z');
  const nodes: ImportLogNode[] = [];
  const kids = new Map<string | null, string[]>();
  for (let i = 0; i < count; i++) {
    const parentId = i === 0 || r() < 0.15 ? null : `n${Math.floor(r() * i)}`;
    const id = `n${i}`;
    nodes.push({
      id,
      parentId,
      kind: i % 7 === 3 ? 'action' : 'assistant_message',
      status: 'complete',
      content: `node ${i} text`,
      startedAt: new Date(base + i * 10).toISOString(),
      ...(i % 7 === 3 ? { toolName: 'bash', toolArgs: { cmd: `echo ${i}` } } : {}),
    });
    const list = kids.get(parentId) ?? [];
    list.push(id);
    kids.set(parentId, list);
  }
  const preorder: string[] = [];
  const visit = (id: string): void => {
    preorder.push(id);
    for (const c of kids.get(id) ?? []) visit(c);
  };
  for (const root of kids.get(null) ?? []) visit(root);
  return { nodes, preorder };
}
