// Bench databases: real files in a temp folder, migrated by Paddock's own opener (so every write
// pattern runs against exactly the schema, triggers, indexes and pragmas the app uses), plus
// the agent and session rows the log tables point at.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Client, InStatement } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { locationFromPath, openClient } from '../../src/main/db/connection.js';
import { openDatabase } from '../../src/main/db/database.js';
import { decodeTiming, spanChunks } from '../../src/main/logs/spans.js';

export function tempDir(prefix = 'paddock-bench-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface SeededIds {
  agentId: string;
  versionId: string;
  sessionIds: string[];
}

/**
 * Inserts one agent, its version and `sessions` running sessions. Bench set-up only (not timed);
 * it writes the rows directly so the benchmarks do not depend on the repositories' APIs.
 */
export async function seedSessions(client: Client, sessions: number): Promise<SeededIds> {
  const now = new Date().toISOString();
  const agentId = uuidv7();
  const versionId = uuidv7();
  const config = JSON.stringify({
    name: 'Bench agent', description: '', avatar: null, type: 'assistant', instructions: '', model: 'gpt-5-mini',
    planModel: null, smallModel: null, builtinTools: [], mcpServers: [], knowledge: [], accessiblePaths: [],
    permissionMode: 'ask', maxSteps: 50, settings: {}, schedule: null,
  });
  const sessionIds = Array.from({ length: sessions }, () => uuidv7());
  const stmts: InStatement[] = [
    { sql: 'INSERT INTO agents (id, name, model, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)', args: [agentId, 'Bench agent', 'gpt-5-mini', now, now] },
    { sql: 'INSERT INTO agent_versions (id, agent_id, version, config, created_at) VALUES (?, ?, 1, ?, ?)', args: [versionId, agentId, config, now] },
    ...sessionIds.map((id, i) => ({
      sql: `INSERT INTO sessions (id, agent_id, agent_version_id, name, status, started_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)`,
      args: [id, agentId, versionId, `Bench session ${i + 1}`, now, now, now],
    })),
  ];
  await client.batch(stmts, 'write');
  return { agentId, versionId, sessionIds };
}

export interface BenchDb {
  client: Client;
  file: string;
  dir: string;
  close(): Promise<void>;
}

/** A migrated database file with seeded sessions, opened the way the app opens it. */
export async function createBenchDb(sessions: number, dir = tempDir()): Promise<BenchDb & { ids: SeededIds }> {
  const file = path.join(dir, 'paddock.db');
  const db = await openDatabase({ location: locationFromPath(file), backup: false });
  const ids = await seedSessions(db.client, sessions);
  return { client: db.client, file, dir, ids, close: () => db.close() };
}

/** Copies a closed template database (checkpointed, no -wal) and opens it like the app does. */
export async function openCopy(template: string, dir = tempDir()): Promise<BenchDb> {
  const file = path.join(dir, 'paddock.db');
  fs.copyFileSync(template, file);
  const client = await openClient(locationFromPath(file));
  return { client, file, dir, close: async () => client.close() };
}

/** Folds the WAL into the main file so file sizes compare like for like. */
export async function checkpoint(client: Client): Promise<void> {
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
}

export function fileBytes(file: string): number {
  let total = 0;
  for (const f of [file, `${file}-wal`]) if (fs.existsSync(f)) total += fs.statSync(f).size;
  return total;
}

export const NODE_COLS = [
  'id', 'session_id', 'parent_id', 'cause_id', 'seq', 'depth', 'path', 'kind', 'role', 'status', 'content', 'metadata',
  'model', 'provider', 'tokens_in', 'tokens_out', 'tokens_reasoning', 'cost_usd', 'started_at', 'ended_at', 'tool_name',
  'tool_args', 'tool_result', 'duration_ms', 'child_count',
] as const;
export const CHUNK_COLS = ['node_id', 'seq', 'text', 'at_ms'] as const;

export type Row = Record<string, string | number | null>;

export interface FinalRows {
  nodes: Row[];
  chunks: Row[];
}

/**
 * Every streamed delta as a (node_id, seq, text, at_ms) row, whichever way it is stored: a
 * log_chunks row, or one delta of a finished node's log_timings row (0030_log_spans,
 * 0100_log_timings), sliced out of the node's text by the repository's own decoder. The patterns
 * below store the deltas as plain rows (as Paddock did before 0030, and as the seeds' designs
 * do); comparing through this view proves each pattern recorded exactly the same stream as
 * Paddock. Ordered by the node's rowid, then seq.
 */
async function allChunks(client: Client): Promise<Row[]> {
  const rows = (await client.execute('SELECT n.n, c.node_id, c.seq, c.text, c.at_ms FROM log_chunks c JOIN log_nodes n ON n.id = c.node_id')).rows;
  const out: { n: number; row: Row }[] = rows.map((r) => ({ n: Number(r.n), row: { node_id: String(r.node_id), seq: Number(r.seq), text: String(r.text), at_ms: Number(r.at_ms) } }));
  const spans = await client.execute(`SELECT n.n, n.id, s.base, s.timing, CASE WHEN n.kind = 'action' THEN n.tool_args ELSE n.content END AS src
    FROM log_timings s JOIN log_nodes n ON n.n = s.n`);
  for (const s of spans.rows) {
    const timing = decodeTiming(new Uint8Array(s.timing as ArrayBuffer));
    for (const c of spanChunks(String(s.id), Number(s.base), timing, String(s.src ?? ''))) {
      out.push({ n: Number(s.n), row: { node_id: c.nodeId, seq: c.seq, text: c.text, at_ms: c.atMs } });
    }
  }
  out.sort((a, b) => a.n - b.n || Number(a.row.seq) - Number(b.row.seq));
  return out.map((x) => x.row);
}

/** Every log row in insertion order (nodes by rowid, chunks grouped by node in that order). */
export async function readFinalRows(client: Client): Promise<FinalRows> {
  const nodes = (await client.execute(`SELECT ${NODE_COLS.join(', ')} FROM log_nodes ORDER BY n`)).rows.map(plain);
  return { nodes, chunks: await allChunks(client) };
}

function plain(r: Record<string, unknown>): Row {
  const o: Row = {};
  for (const k of Object.keys(r)) {
    const v = r[k];
    o[k] = v === undefined ? null : (v as string | number | null);
  }
  return o;
}

/**
 * A digest of every log row (not the rowid), so the benchmark can prove each write pattern left
 * exactly the same final rows, FTS index included (its row count and integrity).
 */
export async function digest(client: Client): Promise<string> {
  const h = crypto.createHash('sha256');
  const nodes = await client.execute(`SELECT ${NODE_COLS.join(', ')} FROM log_nodes ORDER BY id`);
  for (const r of nodes.rows) h.update(JSON.stringify(NODE_COLS.map((c) => r[c] ?? null)));
  const chunks = (await allChunks(client)).sort((a, b) => (a.node_id! < b.node_id! ? -1 : a.node_id! > b.node_id! ? 1 : Number(a.seq) - Number(b.seq)));
  for (const r of chunks) h.update(JSON.stringify(CHUNK_COLS.map((c) => r[c] ?? null)));
  const fts = await client.execute(`SELECT count(*) AS n FROM log_fts WHERE log_fts MATCH 'agent OR file OR tool'`);
  h.update(String(fts.rows[0]?.n));
  await client.execute(`INSERT INTO log_fts (log_fts) VALUES ('integrity-check')`);
  return h.digest('hex').slice(0, 16);
}
