// Test-only helpers for the repository tests: a real migrated file database built from the
// migration files in the repo (not the generated bundle, which may lag behind an edit).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@libsql/client';
import { afterEach, beforeEach } from 'vitest';
import { locationFromPath, openClient, type DatabaseLocation } from '../db/connection.js';
import { createTestDatabase, type TestDatabase } from '../db/testing.js';
import { Migrator, readMigrationsDir } from '../db/migrator/index.js';
import { createRepositories, type Repositories } from './index.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface RepoTestDb extends Repositories {
  db: TestDatabase;
  client: Client;
}

export async function openRepoTestDb(): Promise<RepoTestDb> {
  const db = await createTestDatabase({ migrations: readMigrationsDir(MIGRATIONS_DIR) });
  return { db, client: db.client, ...createRepositories(db.client) };
}

/** An opener for a test's database; a hook registered here removes it after the test. */
export function repoDbPerTest(): () => Promise<RepoTestDb> {
  let repo: RepoTestDb | undefined;
  afterEach(async () => {
    await repo?.db.cleanup();
    repo = undefined;
  });
  return async () => (repo = await openRepoTestDb());
}

/** The plan SQLite picks for a statement, one detail line per step. */
export async function queryPlan(client: Client, sql: string, args: unknown[] = []): Promise<string[]> {
  const rs = await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: args as never });
  return rs.rows.map((r) => String(r['detail']));
}

/** Captures the SQL the repositories send, to EXPLAIN exactly what they run. */
export function recordStatements(client: Client): { statements: Array<{ sql: string; args: unknown[] }>; stop(): void } {
  const statements: Array<{ sql: string; args: unknown[] }> = [];
  const original = client.execute.bind(client);
  const originalBatch = client.batch.bind(client);
  const patched = (async (stmt: unknown, args?: unknown) => {
    if (typeof stmt === 'string') statements.push({ sql: stmt, args: (args as unknown[]) ?? [] });
    else {
      const s = stmt as { sql: string; args?: unknown[] };
      statements.push({ sql: s.sql, args: Array.isArray(s.args) ? s.args : [] });
    }
    return (original as (a: unknown, b?: unknown) => Promise<unknown>)(stmt, args);
  }) as Client['execute'];
  (client as { execute: Client['execute'] }).execute = patched;
  (client as { batch: Client['batch'] }).batch = (async (stmts: unknown[], mode?: unknown) => {
    for (const st of stmts) {
      const s = st as { sql: string; args?: unknown[] };
      statements.push({ sql: s.sql, args: Array.isArray(s.args) ? s.args : [] });
    }
    return (originalBatch as (a: unknown, b?: unknown) => Promise<unknown>)(stmts, mode);
  }) as Client['batch'];
  return {
    statements,
    stop: () => {
      (client as { execute: Client['execute'] }).execute = original;
      (client as { batch: Client['batch'] }).batch = originalBatch;
    },
  };
}

/**
 * A root log node with one child for a session, written with raw SQL so these tests check the
 * session -> log cascade without depending on the log store's API (tested in src/main/logs).
 */
export async function addLogNodes(client: Client, sessionId: string): Promise<void> {
  const at = new Date().toISOString();
  await client.batch(
    [
      {
        sql: `INSERT INTO log_nodes (id, session_id, seq, depth, path, kind, status, content, started_at)
              VALUES (?, ?, 0, 0, '00000000', 'user_message', 'complete', 'hello', ?)`,
        args: [`root-${sessionId}`, sessionId, at],
      },
      {
        sql: `INSERT INTO log_nodes (id, session_id, parent_id, seq, depth, path, kind, status, content, started_at)
              VALUES (?, ?, ?, 0, 1, '00000000.00000000', 'assistant_message', 'complete', 'hi back', ?)`,
        args: [`child-${sessionId}`, sessionId, `root-${sessionId}`, at],
      },
    ],
    'write',
  );
}

export async function countLogNodes(client: Client, sessionId: string): Promise<number> {
  const rs = await client.execute({ sql: 'SELECT count(*) AS n FROM log_nodes WHERE session_id = ?', args: [sessionId] });
  return Number(rs.rows[0]!['n']);
}

/**
 * Session rows in SQL every schema since 0002 accepts. Migration tests seed and read older
 * schemas, which today's SessionsRepository (reading tables added later) cannot.
 */
export const oldSchemaSessions = {
  async insert(c: Client, s: { id: string; agentId: string; name: string; parentSessionId?: string | null }): Promise<string> {
    await c.execute({
      sql: `INSERT INTO sessions (id, agent_id, agent_version_id, parent_session_id, name, status, overrides, created_at, updated_at)
            SELECT ?, a.id, v.id, ?, ?, 'idle', '{}', ?, ?
            FROM agents a JOIN agent_versions v ON v.agent_id = a.id AND v.version = a.version WHERE a.id = ?`,
      args: [s.id, s.parentSessionId ?? null, s.name, SEED_TIME, SEED_TIME, s.agentId],
    });
    return s.id;
  },
  /** One status step, checked by the schema's own transition trigger. */
  async setStatus(c: Client, id: string, to: string, error: string | null = null): Promise<void> {
    await c.execute({ sql: 'UPDATE sessions SET status = ?, error = coalesce(?, error) WHERE id = ?', args: [to, error, id] });
  },
  async get(c: Client, id: string): Promise<{ name: string; status: string }> {
    const rs = await c.execute({ sql: 'SELECT name, status FROM sessions WHERE id = ?', args: [id] });
    const row = rs.rows[0];
    if (!row) throw new Error(`no session ${id}`);
    return { name: String(row.name), status: String(row.status) };
  },
};
const SEED_TIME = '2026-01-01T00:00:00.000Z';

export interface MigrationFixture {
  /** Where this test's database file is. */
  location(): DatabaseLocation;
  /** The test's connection, opened on first use (and again after each migrator). */
  db(): Promise<Client>;
  /** Closes the test's connection; the next `db()` opens a new one. */
  closeClient(): void;
  /** Closes the test's connection (the migrator takes the file to itself) and runs `fn` on a migrator. */
  withMigrator(fn: (m: Migrator) => Promise<unknown>): Promise<void>;
  /** Migrates up to `to` (all when undefined) or, with `down`, rolls back to `to` (0 when undefined); returns a new connection. */
  migrate(to?: number, down?: boolean): Promise<Client>;
}

/**
 * A per-migration fixture test's database (Signal's pattern: seed at N-1, migrate, check): a fresh
 * file per test, migrated with the repo's migration files. Call once at the top of a test file
 * (it registers the hooks that make and remove the file); `prefix` names the temp folder.
 */
export function migrationFixture(prefix: string): MigrationFixture {
  let dir = '';
  let location: DatabaseLocation | null = null;
  let client: Client | null = null;
  const closeClient = () => {
    client?.close();
    client = null;
  };
  const here = () => {
    if (!location) throw new Error('the migration fixture is used outside a test');
    return location;
  };
  const db = async () => (client ??= await openClient(here()));
  const withMigrator = async (fn: (m: Migrator) => Promise<unknown>) => {
    closeClient();
    const m = await Migrator.open({ location: here(), migrations: readMigrationsDir(MIGRATIONS_DIR), appVersion: '0.0.0-test', backup: false });
    try {
      await fn(m);
    } finally {
      m.close();
    }
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    location = locationFromPath(path.join(dir, 'paddock.db'));
  });
  afterEach(() => {
    closeClient();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    location: here,
    db,
    closeClient,
    withMigrator,
    async migrate(to, down = false) {
      await withMigrator((m) => (down ? m.rollback({ to: to ?? 0 }) : m.migrate(to === undefined ? {} : { to })));
      return db();
    },
  };
}
