// `npm run bench:large`: the large-history figures (see bench/large/README.md). Builds or reuses
// the cached history, launches `paddock serve` on it and on an empty database, times the API
// calls a user waits for, times the best plain SQL for the same rows on the same file as the
// baseline, and writes bench/large/results.json plus its section of bench/RESULTS.md.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Driver from 'libsql';
import { createClient } from '@libsql/client';
import { LogsRepository } from '../../src/main/logs/repository.js';
import { searchTermsStep } from '../../src/main/logs/search-terms-job.js';
import { termsProgress } from '../../src/main/logs/search-terms.js';
import { ROLLUP_SQL } from '../../src/main/repositories/session-rollups.js';
import { SessionsRepository } from '../../src/main/repositories/sessions.js';
import { UsageRepository } from '../../src/main/repositories/usage.js';
import { summarize } from '../lib/stats.js';
import { cachedHistory } from './cache.js';
import { FULL_SPEC, type LargeSpec } from './generate.js';
import { launch } from './launch.js';
import { measureRetention, type RetentionFigures } from './retention.js';
import { writeReport, type LargeFigure } from './report.js';
import { COMMON_WORD, RARE_WORD } from './texts.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const SMOKE_SPEC: LargeSpec = { sessions: 200, bigSessions: 1, bigNodes: 5_000, totalNodes: 30_000, agents: 4, trashed: 10, days: 60 };
const REPS = smoke ? 2 : 5;
const log = (s: string) => process.stderr.write(`${s}\n`);

async function samples(fn: () => Promise<unknown> | unknown, reps = REPS): Promise<number[]> {
  await fn(); // warm-up: the first call pays for reading pages from disk into the cache
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** The usage view's by-model breakdown as it was computed before 0130: from the log's model calls. */
const USAGE_FROM_LOG_SQL = `SELECT coalesce(n.model, '') AS k, sum(n.tokens_in), sum(n.tokens_out), sum(n.tokens_reasoning), sum(n.cost_usd)
  FROM sessions s JOIN log_nodes n ON n.session_id = s.id
  WHERE s.deleted_at IS NULL AND s.created_at >= ? AND n.kind = 'assistant_message' AND (n.tokens_in > 0 OR n.tokens_out > 0 OR n.cost_usd > 0)
  GROUP BY 1`;

const TEXT = (w: string) => `{content tool_name tool_args tool_result} : ("${w}"*)`;
const hexKey = (sid: string) => `"${Buffer.from(sid).toString('hex')}"`;

async function main(): Promise<void> {
  const spec = smoke ? SMOKE_SPEC : FULL_SPEC;
  const loadBefore = os.loadavg();
  const history = await cachedHistory(root, spec, log, smoke ? 'smoke' : '');
  const file = history.file;
  const figures: LargeFigure[] = [];
  const add = (f: LargeFigure) => {
    figures.push(f);
    log(`  ${f.group} | ${f.label}: ${f.median.toFixed(1)} ${f.unit}${f.baseline === undefined ? '' : ` (baseline ${f.baseline.toFixed(1)}, ratio ${(f.median / f.baseline).toFixed(2)})`}`);
  };
  if (history.migrated.length > 0) {
    add({ group: 'Start-up', label: `migrations added since the history was built (${history.migrated.join(', ')}), applied once, no backup`, unit: 'ms', ...summarize([history.migrateMs]) });
  }

  // 0. The search term dictionary (migration 0110): on a history that predates it the app lists
  // it in the background after launch; here it is completed first (same steps, same code) so the
  // search figures measure the finished dictionary, and the time that takes is reported.
  {
    const client = createClient({ url: `file:${file}` });
    try {
      // The bench's trash must survive the hosts' housekeeping (retention of trashed sessions).
      await client.execute('UPDATE storage_settings SET trash_days = NULL');
      const before = await termsProgress(client);
      const t = performance.now();
      let steps = 0;
      while (await searchTermsStep(client)) steps++;
      const ms = performance.now() - t;
      log(`[bench:large] search term dictionary: ${steps} background steps, ${(ms / 1000).toFixed(1)} s (was built: ${before.built}, pending: ${before.pending})`);
      if (steps > 0) add({ group: 'Search', label: `background job: search term dictionary of the whole history (${steps} steps, once after the upgrade)`, unit: 'ms', ...summarize([ms]) });
    } finally {
      client.close();
    }
  }

  // 1. Launch → first usable screen, large vs empty database, alternating.
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-large-empty-'));
  const launches = { large: [] as number[], empty: [] as number[], largeUrl: [] as number[], emptyUrl: [] as number[], largeCpu: [] as number[], emptyCpu: [] as number[] };
  for (let i = 0; i < (smoke ? 1 : 3); i++) {
    for (const which of ['empty', 'large'] as const) {
      const l = await launch(root, which === 'large' ? file : path.join(emptyDir, 'paddock.db'));
      launches[which].push(l.usableMs);
      launches[`${which}Url`].push(l.urlMs);
      if (l.cpuMs !== null) launches[`${which}Cpu`].push(l.cpuMs);
      await l.stop();
    }
  }
  const large = summarize(launches.large);
  const empty = summarize(launches.empty);
  add({ group: 'Start-up', label: 'launch → link printed + first sessions list answered', unit: 'ms', ...large, baseline: empty.median, baselineLabel: 'same launch, empty database', target: { max: 1000, maxRatio: 1.2 } });
  if (launches.largeCpu.length > 0 && launches.emptyCpu.length > 0) {
    add({ group: 'Start-up', label: 'the same launch, CPU time of the host process (user + system) until usable', unit: 'ms', ...summarize(launches.largeCpu), baseline: summarize(launches.emptyCpu).median, baselineLabel: 'same launch, empty database' });
  }

  // 2. API figures on the large history, through the browser host's WebSocket.
  const host = await launch(root, file);
  const raw = new Driver(file, { readonly: true });
  const sql = (q: string, ...a: unknown[]) => () => raw.prepare(q).all(...a);
  const api = (channel: string, payload: unknown) => () => host.client.call(channel, payload);
  // The host runs the storage deep check (integrity_check and the full-text index's
  // integrity-check over the whole file) a few seconds after launch, on the connection every
  // API call uses, which holds the calls for many minutes on this file. Search is measured in
  // process (the same LogsRepository the host uses, on a connection of its own) so the figures
  // are the search's; see analysis.md.
  const searchClient = createClient({ url: `file:${file}` });
  const repo = new LogsRepository(searchClient);
  const direct = (q: Parameters<LogsRepository['searchPage']>[0]) => () => repo.searchPage(q);

  const big = history.bigSessionIds[0]!;
  const agent = history.agentIds[1]!;
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const bigLabel = `${spec.bigNodes.toLocaleString('en')}-node session`;
  const measure = async (group: string, label: string, call: () => Promise<unknown>, baseline: (() => unknown) | null, baselineLabel: string, target?: LargeFigure['target'], reps = REPS) => {
    const s = summarize(await samples(call, reps));
    const b = baseline ? summarize(await samples(baseline)).median : undefined;
    add({ group, label, unit: 'ms', ...s, ...(b === undefined ? {} : { baseline: b, baselineLabel }), ...(target ? { target } : {}) });
  };
  try {
    const LIST = 'Lists';
    await measure(LIST, 'sessions list, first page', api('sessions.list', {}), sql(`SELECT * FROM sessions WHERE +archived_at IS NULL AND +deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 50`), 'SELECT … ORDER BY created_at LIMIT 50', { max: 50 });
    // The same first page from the host's own repository code in process: the query's cost alone,
    // without the WebSocket, JSON and the host's background work (its deep check's worker) competing.
    const sessionsRepo = new SessionsRepository(searchClient);
    await measure(LIST, 'sessions list, first page (SessionsRepository, in process)', () => sessionsRepo.list({}), sql(`SELECT * FROM sessions WHERE +archived_at IS NULL AND +deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 50`), 'SELECT … ORDER BY created_at LIMIT 50', { max: 50 });
    await measure(LIST, 'trash view (deleted sessions)', api('sessions.list', { deleted: 'only' }), sql(`SELECT * FROM sessions WHERE deleted_at IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 50`), 'SELECT … WHERE deleted_at IS NOT NULL LIMIT 50', { max: 50 });
    await measure(LIST, 'agent list', api('agents.list', {}), sql(`SELECT * FROM agents WHERE deleted_at IS NULL ORDER BY name LIMIT 50`), 'SELECT … FROM agents LIMIT 50', { max: 50 });
    await measure(LIST, 'session counts of every agent (agents.sessionCounts)', api('agents.sessionCounts', {}), sql(ROLLUP_SQL.counts), 'session-rollups.ts counts query', { max: 50 });
    await measure(LIST, 'sessions of one agent, first page', api('sessions.list', { agentId: agent }), sql(`SELECT * FROM sessions WHERE agent_id = ? AND +archived_at IS NULL AND +deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 50`, agent), 'SELECT … WHERE agent_id = ? LIMIT 50', { max: 50 });
    const counts = summarize(await samples(sql(ROLLUP_SQL.counts)));
    add({ group: LIST, label: 'session counts of every agent (session-rollups.ts: covering index)', unit: 'ms', ...counts, target: { max: 50 } });
    const usage = summarize(await samples(sql(ROLLUP_SQL.daily, '2000-01-01T00:00:00.000Z', '9999-01-01T00:00:00.000Z')));
    add({ group: LIST, label: 'usage roll-up by agent and day, whole history (session-rollups.ts)', unit: 'ms', ...usage, target: { max: 50 } });
    const usageMonth = summarize(await samples(sql(ROLLUP_SQL.daily, monthAgo, '9999-01-01T00:00:00.000Z')));
    add({ group: LIST, label: 'usage roll-up by agent and day, past 30 days (session-rollups.ts)', unit: 'ms', ...usageMonth, target: { max: 50 } });

    const S = 'Search';
    const key = hexKey(big);
    // The best plain SQL: the word already expanded to its exact terms (what the app sends).
    const terms = (raw.prepare(`SELECT term FROM log_terms WHERE term >= ? AND term < ?`).all(COMMON_WORD, `${COMMON_WORD}\u{10ffff}`) as Array<{ term: string }>).map((r) => `"${r.term}"`);
    const EXACT = `{content tool_name tool_args tool_result} : (${terms.join(' OR ')})`;
    log(`[bench:large] "${COMMON_WORD}" expands to ${terms.length} terms: ${terms.join(' ')}`);
    await measure(S, `in one ${bigLabel}, "${COMMON_WORD}", tree order, first 50 hits`,
      direct({ query: COMMON_WORD, sessionId: big, order: 'tree', limit: 50 }),
      sql(`SELECT rowid FROM log_fts WHERE log_fts MATCH ? AND log_fts.session_key MATCH ?`, EXACT, key), 'plain FTS query, exact terms: all the session\'s matching rowids', { max: 100, maxRatio: 3 });
    await measure(S, `in one ${bigLabel}, "${COMMON_WORD}", first two pages (cursor)`,
      async () => {
        const first = await repo.searchPage({ query: COMMON_WORD, sessionId: big, order: 'tree', limit: 50 });
        return repo.searchPage({ query: COMMON_WORD, sessionId: big, order: 'tree', limit: 50, cursor: first.nextCursor });
      }, null, '');
    // The same rows the app returns (id, session, kind, status, snippet; trashed sessions and
    // agents left out), as one plain statement: the baseline "for the same hits".
    const GLOBAL_SAME_HITS = `SELECT n.id, n.session_id, n.kind, n.status, snippet(log_fts, -1, '[', ']', '…', 24) AS snippet
      FROM log_fts CROSS JOIN log_nodes n ON n.n = log_fts.rowid
        CROSS JOIN sessions s ON s.id = n.session_id CROSS JOIN agents a ON a.id = s.agent_id
      WHERE log_fts MATCH ? AND s.deleted_at IS NULL AND a.deleted_at IS NULL
      ORDER BY log_fts.rowid DESC LIMIT 51`;
    await measure(S, `all sessions, "${COMMON_WORD}", first page (newest first)`,
      direct({ query: COMMON_WORD, limit: 50 }),
      sql(GLOBAL_SAME_HITS, EXACT), 'plain SQL for the same hits: newest 51 matches outside the trash, with their node, session and snippet', { max: 200, maxRatio: 3 });
    // What the FTS index alone costs for those rowids (no snippet, no trash check): shows how much
    // of the page is the join and snippet() rather than finding the matches.
    await measure(S, `diagnostic: newest 51 matching rowids of "${COMMON_WORD}", nothing else`,
      async () => sql(`SELECT rowid FROM log_fts WHERE log_fts MATCH ? ORDER BY rowid DESC LIMIT 51`, EXACT)(), null, '');
    await measure(S, `all sessions, rare word "${RARE_WORD}"`,
      direct({ query: RARE_WORD, limit: 50 }),
      sql(`SELECT rowid FROM log_fts WHERE log_fts MATCH ?`, TEXT(RARE_WORD)), 'plain FTS query: matching rowids', { max: 200 });
    const FILTER_BASE = `SELECT n.id FROM log_fts CROSS JOIN log_nodes n ON n.n = log_fts.rowid CROSS JOIN sessions s ON s.id = n.session_id WHERE log_fts MATCH ?`;
    await measure(S, `filter by agent, "${COMMON_WORD}", first page`,
      direct({ query: COMMON_WORD, agentId: agent, limit: 50 }),
      sql(`${FILTER_BASE} AND s.agent_id = ? ORDER BY log_fts.rowid DESC LIMIT 51`, EXACT, agent), 'the same join without snippets', { max: 200 });
    await measure(S, `filter by node kind (tool calls), "${COMMON_WORD}", first page`,
      direct({ query: COMMON_WORD, kinds: ['action'], limit: 50 }),
      sql(`${FILTER_BASE} AND n.kind = 'action' ORDER BY log_fts.rowid DESC LIMIT 51`, EXACT), 'the same join without snippets', { max: 200 });
    await measure(S, `filter by date (past 30 days), "${COMMON_WORD}", first page`,
      direct({ query: COMMON_WORD, from: monthAgo, limit: 50 }),
      sql(`${FILTER_BASE} AND n.started_at >= ? ORDER BY log_fts.rowid DESC LIMIT 51`, EXACT, monthAgo), 'the same join without snippets', { max: 200 });
    // The usage view as the renderer asks for it (trace.usage), in process; by model and provider
    // it reads session_model_usage (0130). The baseline is the same by-model breakdown summed from
    // the model calls in the log, as the view did before 0130: one call, given up after
    // USAGE_LIMIT_MS (then the figure is that limit, marked).
    const USAGE_LIMIT_MS = smoke ? 10_000 : 90_000;
    const usageRepo = new UsageRepository(searchClient);
    const usageSamples = summarize(await samples(() => usageRepo.report({ from: monthAgo.slice(0, 10) })));
    const t0 = performance.now();
    const fromLog = await Promise.race([
      searchClient.execute({ sql: USAGE_FROM_LOG_SQL, args: [`${monthAgo.slice(0, 10)}T00:00:00.000Z`] }).then(() => performance.now() - t0),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), USAGE_LIMIT_MS).unref()),
    ]);
    add({
      group: LIST, label: 'usage view (trace.usage\'s UsageRepository, in process), past 30 days', unit: 'ms', ...usageSamples,
      baseline: fromLog ?? USAGE_LIMIT_MS,
      baselineLabel: `before 0130: its by-model breakdown summed from the log's model calls, one call${fromLog === null ? `, gave up after ${USAGE_LIMIT_MS / 1000} s` : ''}`,
      target: { max: 50 },
    });
    const prefixOnly = summarize(await samples(sql(`SELECT count(*) FROM log_fts WHERE log_fts MATCH ?`, TEXT(COMMON_WORD))));
    add({ group: S, label: `diagnostic: FTS5 reading every "${COMMON_WORD}*" match of the history (count)`, unit: 'ms', ...prefixOnly });
    const exactSession = summarize(await samples(sql(`SELECT rowid FROM log_fts WHERE log_fts MATCH ? AND log_fts.session_key MATCH ?`, `{content tool_name tool_args tool_result} : ("${COMMON_WORD}")`, key)));
    add({ group: S, label: `diagnostic: the session's matches of the exact word "${COMMON_WORD}" (no prefix expansion)`, unit: 'ms', ...exactSession });
  } finally {
    raw.close();
    searchClient.close();
    await host.stop();
  }

  // 3. Space.
  const bytes = fs.statSync(file).size;
  const nodes = history.nodes;
  const vacuumFile = path.join(emptyDir, 'vacuumed.db');
  let vacuumed: number | null = null;
  if (!args.includes('--no-vacuum')) {
    const db = new Driver(file, { readonly: true });
    const t = performance.now();
    db.exec(`VACUUM INTO '${vacuumFile.replaceAll("'", "''")}'`);
    db.close();
    vacuumed = fs.statSync(vacuumFile).size;
    log(`  VACUUM INTO: ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  // 4. What a clean-up gives back, through the app, on a copy (the cached file stays as it is).
  let retention: RetentionFigures | null = null;
  if (!args.includes('--no-retention')) retention = await measureRetention(root, file, spec.days, emptyDir, log);
  fs.rmSync(emptyDir, { recursive: true, force: true });

  writeReport(root, {
    date: new Date().toISOString(),
    smoke,
    command: smoke ? 'node bench/large/run.mjs --smoke' : `npm run bench:large${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
    loadBefore,
    loadAfter: os.loadavg(),
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '?',
    history: { nodes, sessions: history.sessions, chunks: history.chunks, generationSeconds: history.seconds, cached: history.cached, bytes, vacuumedBytes: vacuumed, spec },
    figures,
    retention,
  });
}

await main();
