// Search figures alone, in process, on the cached large history (no app launch): for re-checking
// a search change quickly. Same calls and baselines as main.ts's search rows; prints medians.
// Run: node bench/large/run-search-check.mjs (see README).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import Driver from 'libsql';
import { LogsRepository } from '../../src/main/logs/repository.js';
import { summarize } from '../lib/stats.js';
import { COMMON_WORD } from './texts.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const dir = path.join(root, 'bench', '.cache');
const file = path.join(dir, fs.readdirSync(dir).find((f) => /^large-[0-9a-f]+\.db$/.test(f))!);
const meta = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as { bigSessionIds: string[]; agentIds: string[] };
const repo = new LogsRepository(createClient({ url: `file:${file}` }));
const raw = new Driver(file, { readonly: true });
const terms = (raw.prepare(`SELECT term FROM log_terms WHERE term >= ? AND term < ?`).all(COMMON_WORD, `${COMMON_WORD}\u{10ffff}`) as Array<{ term: string }>).map((r) => `"${r.term}"`);
const EXACT = `{content tool_name tool_args tool_result} : (${terms.join(' OR ')})`;
const key = `"${Buffer.from(meta.bigSessionIds[0]!).toString('hex')}"`;

async function median(fn: () => unknown): Promise<number> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return summarize(out).median;
}

console.log(`load before: ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
const rows: Array<[string, () => unknown, () => unknown]> = [
  [`in one 100,000-node session, "${COMMON_WORD}", tree order, first 50`, () => repo.searchPage({ query: COMMON_WORD, sessionId: meta.bigSessionIds[0]!, order: 'tree', limit: 50 }),
    () => raw.prepare(`SELECT rowid FROM log_fts WHERE log_fts MATCH ? AND log_fts.session_key MATCH ?`).all(EXACT, key)],
  [`all sessions, "${COMMON_WORD}", first page`, () => repo.searchPage({ query: COMMON_WORD, limit: 50 }),
    () => raw.prepare(`SELECT rowid FROM log_fts WHERE log_fts MATCH ? ORDER BY rowid DESC LIMIT 51`).all(EXACT)],
  [`filter by agent, "${COMMON_WORD}", first page`, () => repo.searchPage({ query: COMMON_WORD, agentId: meta.agentIds[1]!, limit: 50 }), () => null],
  [`filter by node kind (tool calls), "${COMMON_WORD}", first page`, () => repo.searchPage({ query: COMMON_WORD, kinds: ['action'], limit: 50 }), () => null],
];
for (const [label, call, base] of rows) {
  const m = await median(call);
  const b = await median(base);
  console.log(`${label}: ${m.toFixed(1)} ms (baseline ${b.toFixed(1)} ms, ratio ${(m / b).toFixed(2)})`);
}
console.log(`load after: ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
