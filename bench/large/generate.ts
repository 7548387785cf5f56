// Builds the large history for `npm run bench:large`: a file migrated by Paddock's own opener
// (so the schema, triggers and indexes are exactly the app's), then filled by set-based SQL on
// the raw libsql engine: agents, months of sessions, and ~3 M log nodes in realistic shapes
// (turns of user message, thought, tool call and result, a sub-agent with its own children,
// an answer), a few 100k-node sessions and many small ones. Sessions that ran at the same time
// interleave their rows, as live recording does.
//
// Only the tree-maintenance triggers (child_count, place check) are dropped during the load
// and recreated from their own stored SQL afterwards (child_count is computed in the insert);
// the full-text and usage triggers stay, so the index and session_model_usage (0130) are filled
// by the schema's own rules.

import Driver from 'libsql';
import { locationFromPath } from '../../src/main/db/connection.js';
import { openDatabase } from '../../src/main/db/database.js';
import { RetentionRepository } from '../../src/main/repositories/retention.js';
import { Rng } from '../lib/rng.js';
import { RARE_COUNT, RARE_WORD, textPool } from './texts.js';

export interface LargeSpec {
  sessions: number;
  /** Sessions of exactly bigNodes nodes. */
  bigSessions: number;
  bigNodes: number;
  /** Nodes in all, about. */
  totalNodes: number;
  agents: number;
  /** Sessions in the trash. */
  trashed: number;
  days: number;
}

export const FULL_SPEC: LargeSpec = { sessions: 10_000, bigSessions: 3, bigNodes: 100_000, totalNodes: 3_050_000, agents: 6, trashed: 250, days: 180 };

export interface LargeHistory {
  nodes: number;
  sessions: number;
  chunks: number;
  seconds: number;
  /** Ids for the figures: the big sessions, agents, one small session. */
  bigSessionIds: string[];
  agentIds: string[];
}

const POOL = 4_096;
const DAY_MS = 86_400_000;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}

/** A UUIDv7-shaped id whose time part is `ms`. */
function uuidAt(ms: number, rng: Rng): string {
  const t = hex(ms, 12);
  const r = (w: number) => Array.from({ length: w }, () => hex(rng.int(0, 15), 1)).join('');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r(3)}-${hex(8 + rng.int(0, 3), 1)}${r(3)}-${r(12)}`;
}

/** Session sizes: the big ones, then a long tail of small ones summing to about totalNodes. */
function sessionSizes(spec: LargeSpec, rng: Rng): number[] {
  const small = spec.sessions - spec.bigSessions;
  const budget = spec.totalNodes - spec.bigSessions * spec.bigNodes;
  const raw = Array.from({ length: small }, () => Math.exp(rng.next() * 6)); // 1 … 400, log-uniform
  const scale = budget / raw.reduce((a, b) => a + b, 0);
  const sizes = raw.map((x) => Math.max(3, Math.round(x * scale)));
  const bigAt = new Set<number>();
  while (bigAt.size < spec.bigSessions) bigAt.add(rng.int(0, spec.sessions - 1));
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i < spec.sessions; i++) out.push(bigAt.has(i) ? spec.bigNodes : sizes[s++]!);
  return out;
}

const K = `substr(p.sid, 1, 24) || printf('%012x', x.i`;
/** One row per (session, node index); the shape repeats every 8 nodes (one turn). */
const NODE_INSERT = `
INSERT INTO log_nodes (id, session_id, parent_id, cause_id, seq, depth, path, kind, role, status, content, metadata,
  model, provider, tokens_in, tokens_out, tokens_reasoning, cost_usd, started_at, ended_at, tool_name, tool_args,
  tool_result, duration_ms, child_count)
SELECT ${K}),
  p.sid,
  CASE x.i % 8 WHEN 0 THEN NULL WHEN 5 THEN ${K} - 1) WHEN 6 THEN ${K} - 2) ELSE ${K} - x.i % 8) END,
  CASE x.i % 8 WHEN 3 THEN ${K} - 1) WHEN 6 THEN ${K} - 2) END,
  CASE x.i % 8 WHEN 0 THEN x.i / 8 ELSE s.seq END,
  CASE x.i % 8 WHEN 0 THEN 0 WHEN 5 THEN 2 WHEN 6 THEN 2 ELSE 1 END,
  printf('%08d', x.i / 8) || CASE x.i % 8 WHEN 0 THEN '' WHEN 5 THEN '.00000003.00000000' WHEN 6 THEN '.00000003.00000001'
    ELSE '.' || printf('%08d', s.seq) END,
  s.kind, s.role, 'complete',
  CASE WHEN s.kind IN ('action', 'observation') THEN '' ELSE t.body END,
  '{}',
  CASE WHEN s.kind IN ('thought', 'assistant_message') THEN p.model END,
  CASE WHEN s.kind IN ('thought', 'assistant_message') THEN 'openai' END,
  CASE x.i % 8 WHEN 7 THEN 800 + x.i % 900 ELSE 0 END,
  CASE x.i % 8 WHEN 7 THEN 40 + length(t.body) / 4 ELSE 0 END,
  CASE x.i % 8 WHEN 7 THEN 20 ELSE 0 END,
  CASE x.i % 8 WHEN 7 THEN 0.0004 + (x.i % 13) * 0.0001 ELSE 0 END,
  strftime('%Y-%m-%dT%H:%M:%fZ', (p.t0_ms + x.i * 1500) / 1000.0, 'unixepoch'),
  strftime('%Y-%m-%dT%H:%M:%fZ', (p.t0_ms + x.i * 1500 + 900) / 1000.0, 'unixepoch'),
  CASE x.i % 8 WHEN 2 THEN CASE x.i % 3 WHEN 0 THEN 'read_file' WHEN 1 THEN 'search_files' ELSE 'run_shell' END
    WHEN 4 THEN 'task' END,
  CASE x.i % 8 WHEN 2 THEN json_object('path', 'src/' || substr(a.body, 1, 24), 'pattern', substr(a.body, 25, 40))
    WHEN 4 THEN json_object('prompt', substr(a.body, 1, 200)) END,
  CASE WHEN s.kind = 'observation' THEN json_object('output', t.body) END,
  CASE WHEN s.kind = 'action' THEN 120 + x.i % 700 END,
  CASE x.i % 8
    WHEN 0 THEN (x.i + 1 < p.nodes) + (x.i + 2 < p.nodes) + (x.i + 3 < p.nodes) + (x.i + 4 < p.nodes) + (x.i + 7 < p.nodes)
    WHEN 4 THEN (x.i + 1 < p.nodes) + (x.i + 2 < p.nodes) ELSE 0 END
FROM plan p
JOIN nums x ON x.i < p.nodes
JOIN shape s ON s.p = x.i % 8
JOIN texts t ON t.k = (x.i * 7919 + p.sk * 104729) % ${POOL}
JOIN texts a ON a.k = (x.i * 104729 + p.sk * 7919 + 17) % ${POOL}
WHERE p.sk >= ? AND p.sk < ?
ORDER BY p.sk / 8, x.i, p.sk`;

const SHAPE_ROWS = `(0, 'user_message', 'user', 0), (1, 'thought', 'reasoning', 0), (2, 'action', 'assistant', 1),
  (3, 'observation', 'tool', 2), (4, 'action', 'assistant', 3), (5, 'assistant_message', 'assistant', 0),
  (6, 'observation', 'tool', 1), (7, 'assistant_message', 'assistant', 4)`;

type Db = InstanceType<typeof Driver>;

function setUp(db: Db, spec: LargeSpec, rng: Rng): { bigSessionIds: string[]; agentIds: string[] } {
  db.exec(`CREATE TEMP TABLE texts (k INTEGER PRIMARY KEY, body TEXT NOT NULL);
    CREATE TEMP TABLE plan (sk INTEGER PRIMARY KEY, sid TEXT NOT NULL, nodes INTEGER NOT NULL, t0_ms INTEGER NOT NULL, model TEXT NOT NULL);
    CREATE TEMP TABLE shape (p INTEGER PRIMARY KEY, kind TEXT, role TEXT, seq INTEGER);
    INSERT INTO shape VALUES ${SHAPE_ROWS};
    CREATE TEMP TABLE nums (i INTEGER PRIMARY KEY);
    INSERT INTO nums WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ${spec.bigNodes - 1}) SELECT i FROM c;`);
  const insText = db.prepare('INSERT INTO texts VALUES (?, ?)');
  textPool(POOL).forEach((body, k) => insText.run(k, body));

  const now = Date.now();
  const t0 = now - spec.days * DAY_MS;
  const agentIds: string[] = [];
  const versionIds: string[] = [];
  const models = ['gpt-5-mini', 'claude-sonnet-5', 'qwen3-coder', 'gpt-5', 'llama-4', 'mistral-large'];
  const insAgent = db.prepare('INSERT INTO agents (id, name, model, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)');
  const insVersion = db.prepare('INSERT INTO agent_versions (id, agent_id, version, config, created_at) VALUES (?, ?, 1, ?, ?)');
  for (let a = 0; a < spec.agents; a++) {
    const at = new Date(t0 - DAY_MS).toISOString();
    const id = uuidAt(t0 - DAY_MS + a, rng);
    const vid = uuidAt(t0 - DAY_MS + a, rng);
    insAgent.run(id, `Agent ${a + 1}`, models[a % models.length], at, at);
    const config = { name: `Agent ${a + 1}`, description: '', avatar: null, type: 'assistant', instructions: '', model: models[a % models.length], planModel: null, smallModel: null, builtinTools: [], mcpServers: [], knowledge: [], accessiblePaths: [], permissionMode: 'ask', maxSteps: 50, settings: {}, schedule: null };
    insVersion.run(vid, id, JSON.stringify(config), at);
    agentIds.push(id);
    versionIds.push(vid);
  }

  const sizes = sessionSizes(spec, rng);
  const insPlan = db.prepare('INSERT INTO plan VALUES (?, ?, ?, ?, ?)');
  const insSession = db.prepare(`INSERT INTO sessions (id, agent_id, agent_version_id, name, status, started_at, ended_at,
    deleted_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?)`);
  const bigSessionIds: string[] = [];
  const span = spec.days * DAY_MS;
  for (let sk = 0; sk < spec.sessions; sk++) {
    const start = Math.round(t0 + (sk / spec.sessions) * span);
    const sid = uuidAt(start, rng);
    // Agent 1 runs a schedule (half the sessions); the others share the rest.
    const agent = rng.chance(0.5) ? 0 : rng.int(1, spec.agents - 1);
    const nodes = sizes[sk]!;
    if (nodes === spec.bigNodes) bigSessionIds.push(sid);
    insPlan.run(sk, sid, nodes, start, models[agent % models.length]);
    const started = new Date(start).toISOString();
    const ended = new Date(start + nodes * 1500 + 900).toISOString();
    const deleted = sk % Math.max(1, Math.floor(spec.sessions / spec.trashed)) === 1 && nodes !== spec.bigNodes ? ended : null;
    insSession.run(sid, agentIds[agent], versionIds[agent], `Run ${sk + 1}`, started, ended, deleted, started, ended);
  }
  return { bigSessionIds, agentIds };
}

/** Fills `file` (must not exist) with the history. Synchronous SQL on the raw engine. */
export async function buildLargeHistory(file: string, spec: LargeSpec = FULL_SPEC, log: (s: string) => void = () => {}): Promise<LargeHistory> {
  const started = performance.now();
  // Created as the app creates a new database (core.ts): incremental auto-vacuum, so what
  // retention deletes goes back to the file system as it does for a user.
  RetentionRepository.createIncremental(file);
  const opened = await openDatabase({ location: locationFromPath(file), backup: false });
  await opened.close();
  const db = new Driver(file);
  db.exec('PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;');
  const rng = new Rng(1606);
  db.exec('BEGIN');
  const ids = setUp(db, spec, rng);
  db.exec('COMMIT');

  log(`  set-up done, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'log_nodes' AND name NOT LIKE '%fts%' AND name NOT LIKE 'log_nodes_usage_%'`).all() as Array<{ name: string; sql: string }>;
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  const insert = db.prepare(NODE_INSERT);
  let nodes = 0;
  const batch = 64;
  for (let sk = 0; sk < spec.sessions; sk += batch) {
    db.exec('BEGIN');
    nodes += insert.run(sk, sk + batch).changes;
    db.exec('COMMIT');
    if ((sk / batch) % 20 === 0) log(`  ${nodes.toLocaleString('en')} nodes, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  db.exec('BEGIN');
  for (const t of triggers) db.exec(t.sql);
  // Streamed text: four chunk rows per streamed node (the writer keeps them for replay).
  const chunks = db.prepare(`INSERT INTO log_chunks (node_id, seq, text, at_ms)
    SELECT n.id, c.i, substr(n.content, 1 + c.i * ((length(n.content) + 3) / 4), (length(n.content) + 3) / 4), c.i * 40
    FROM log_nodes n JOIN nums c ON c.i < 4 WHERE n.kind IN ('thought', 'assistant_message')`).run().changes;
  // The rare word, in RARE_COUNT answers spread over the history (through the index's update trigger).
  db.prepare(`UPDATE log_nodes SET content = content || ' ${RARE_WORD}'
    WHERE n IN (SELECT n FROM log_nodes WHERE kind = 'assistant_message' AND n % ? = 0 LIMIT ?)`).run(Math.floor(nodes / RARE_COUNT / 2), RARE_COUNT);
  db.exec(`UPDATE sessions SET (tokens_in, tokens_out, tokens_reasoning, cost_usd) =
    (SELECT coalesce(sum(tokens_in), 0), coalesce(sum(tokens_out), 0), coalesce(sum(tokens_reasoning), 0), total(cost_usd) FROM log_nodes WHERE session_id = sessions.id)`);
  db.exec('COMMIT');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  return { nodes, sessions: spec.sessions, chunks, seconds: (performance.now() - started) / 1000, ...ids };
}
