// The term dictionary of the full-text index (migration 0110): expands a search word, which
// FTS5 would treat as a prefix and answer by merging every matching term's doclist across the
// whole history, into an OR of the exact terms it stands for, which FTS5 iterates lazily and
// seeks in. Kept complete by two steps the background job (search-terms-job.ts) repeats:
//
// * build: an existing history's terms, listed from log_fts_vocab in term order a batch at a
//   time; the position is stored, so a crash resumes where it stopped;
// * fold: the terms of nodes written since (log_terms_pending, fed by triggers), read by
//   indexing just those nodes in a temporary FTS5 table with the same tokenizer.
//
// Until the dictionary is built and nothing is pending, expandQuery() returns the plain prefix
// query: the same hits, without the speed-up. Terms are only added, never removed: a term that
// no longer occurs expands to nothing, so results stay exact.

import type { Row } from '@libsql/client';
import { num, str } from '../db/rows.js';
import type { WriteHandle } from '../repositories/handles.js';

/** A word expanding to more terms than this keeps the prefix query (e.g. a one-letter word). */
export const MAX_EXPANSION = 64;
/** Pending nodes a search folds itself before expanding (a few, as live writing leaves them). */
export const QUERY_FOLD_LIMIT = 200;
/** Terms listed per build step. */
export const BUILD_BATCH = 2_000;
/** Nodes folded per background step. */
export const FOLD_BATCH = 500;
/** With more pending nodes than this (a big import), listing the index again is cheaper. */
export const REBUILD_AT = 20_000;

/** The text columns of log_fts; user words are scoped to them so they never match a session key. */
export const TEXT_COLUMNS = '{content tool_name tool_args tool_result}';
const TOKENIZE = `tokenize = 'unicode61 remove_diacritics 2'`;
const MAX_CHAR = String.fromCodePoint(0x10ffff);
let tempSeq = 0;

type Part = { kind: 'phrase'; tokens: string[] } | { kind: 'prefix'; token: string };

/** A search text as words (matched as prefixes) and "quoted phrases"; only letters and digits. */
export function parseSearchText(text: string): Part[] {
  const parts: Part[] = [];
  for (const m of text.matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    const tokens = (m[1] ?? m[2] ?? '').match(/[\p{L}\p{N}\p{M}\p{Co}]+/gu) ?? [];
    if (tokens.length === 0) continue;
    if (m[1] !== undefined) parts.push({ kind: 'phrase', tokens });
    else for (const token of tokens) parts.push({ kind: 'prefix', token });
  }
  return parts;
}

/**
 * The FTS5 query for parsed parts, everything ANDed; `expansions` maps a prefix token to the
 * exact terms it stands for (absent: keep the prefix term). No user input forms FTS5 syntax.
 */
export function ftsQueryOf(parts: readonly Part[], expansions: ReadonlyMap<string, readonly string[]> = new Map()): string | null {
  if (parts.length === 0) return null;
  return parts
    .map((p) => {
      if (p.kind === 'phrase') return `"${p.tokens.join(' ')}"`;
      const terms = expansions.get(p.token);
      if (terms === undefined) return `"${p.token}"*`;
      // No term has this prefix: the exact word cannot occur either, so it matches nothing.
      if (terms.length === 0) return `"${p.token}"`;
      return `(${terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ')})`;
    })
    .join(' AND ');
}

/** True when the dictionary lists every term of the index (built, nothing pending). */
async function dictionaryReady(db: WriteHandle): Promise<boolean> {
  const rs = await db.execute(`SELECT built, (SELECT count(*) FROM (SELECT 1 FROM log_terms_pending WHERE id > 0 LIMIT ${QUERY_FOLD_LIMIT + 1})) AS pending FROM log_terms_state WHERE id = 1`);
  const row = rs.rows[0];
  if (row === undefined || num(row, 'built') !== 1) return false;
  const pending = num(row, 'pending');
  if (pending === 0) return true;
  if (pending > QUERY_FOLD_LIMIT) return false;
  await foldPending(db, QUERY_FOLD_LIMIT);
  return true;
}

/**
 * The search text as an FTS5 query scoped to the text columns, its words expanded to exact
 * terms when the dictionary allows; `expanded` says whether any was. Only ASCII words are
 * expanded: for them the tokenizer's folding is plain lower-casing, so the dictionary lookup is
 * exact; other words keep the prefix query.
 */
export async function expandQuery(db: WriteHandle, text: string): Promise<{ match: string; expanded: boolean } | null> {
  const parts = parseSearchText(text);
  const plain = ftsQueryOf(parts);
  if (plain === null) return null;
  const scoped = (q: string) => `${TEXT_COLUMNS} : (${q})`;
  const words = [...new Set(parts.flatMap((p) => (p.kind === 'prefix' && /^[A-Za-z0-9]+$/.test(p.token) ? [p.token] : [])))];
  if (words.length === 0 || !(await dictionaryReady(db).catch(() => false))) return { match: scoped(plain), expanded: false };
  const expansions = new Map<string, string[]>();
  for (const word of words) {
    const folded = word.toLowerCase();
    const rs = await db.execute({ sql: `SELECT term FROM log_terms WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANSION + 1}`, args: [folded, folded + MAX_CHAR] });
    if (rs.rows.length <= MAX_EXPANSION) expansions.set(word, rs.rows.map((r) => str(r, 'term')));
  }
  if (expansions.size === 0) return { match: scoped(plain), expanded: false };
  return { match: scoped(ftsQueryOf(parts, expansions)!), expanded: true };
}

async function insertTerms(db: WriteHandle, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute({ sql: `INSERT OR IGNORE INTO log_terms (term) SELECT value FROM json_each(?)`, args: [JSON.stringify(rows.map((r) => str(r, 'term')))] });
}

/** One build step: the next batch of terms in term order. Returns true once the whole index is listed. */
export async function buildStep(db: WriteHandle, batch = BUILD_BATCH): Promise<boolean> {
  const state = (await db.execute('SELECT cursor, built FROM log_terms_state WHERE id = 1')).rows[0];
  if (state === undefined || num(state, 'built') === 1) return true;
  const cursor = str(state, 'cursor');
  const rs = await db.execute({ sql: `SELECT DISTINCT term FROM log_fts_vocab WHERE term > ? AND col <> 'session_key' LIMIT ?`, args: [cursor, batch] });
  await insertTerms(db, rs.rows);
  const last = rs.rows.reduce((m, r) => (str(r, 'term') > m ? str(r, 'term') : m), cursor);
  const done = rs.rows.length < batch;
  // Only ever forward: a concurrent step (another connection) must not move it back.
  await db.execute({ sql: `UPDATE log_terms_state SET cursor = max(cursor, ?), built = max(built, ?)`, args: [last, done ? 1 : 0] });
  return done;
}

/**
 * Adds the terms of up to `max` pending nodes (oldest first) and removes them from the queue.
 * Idempotent: a crash between the two writes only makes the next fold repeat the batch. Returns
 * how many queue rows it took.
 */
export async function foldPending(db: WriteHandle, max = FOLD_BATCH): Promise<number> {
  const head = (await db.execute({ sql: `SELECT count(*) AS c, max(id) AS last FROM (SELECT id FROM log_terms_pending WHERE id > 0 ORDER BY id LIMIT ?)`, args: [max] })).rows[0]!;
  const count = num(head, 'c');
  if (count === 0) return 0;
  const last = num(head, 'last');
  // A name of its own per call: calls on one connection may interleave between statements.
  const name = `log_terms_fold_${++tempSeq}`;
  await db.execute(`CREATE VIRTUAL TABLE temp.${name} USING fts5 (content, tool_name, tool_args, tool_result, ${TOKENIZE})`);
  try {
    await db.execute(`CREATE VIRTUAL TABLE temp.${name}_v USING fts5vocab (temp, ${name}, row)`);
    await db.execute({
      sql: `INSERT INTO temp.${name} (content, tool_name, tool_args, tool_result)
            SELECT content, tool_name, tool_args, tool_result FROM log_nodes WHERE n IN (SELECT n FROM log_terms_pending WHERE id <= ?)`,
      args: [last],
    });
    await insertTerms(db, (await db.execute(`SELECT term FROM temp.${name}_v`)).rows);
    await db.execute({ sql: 'DELETE FROM log_terms_pending WHERE id <= ?', args: [last] });
  } finally {
    await db.execute(`DROP TABLE IF EXISTS temp.${name}_v`);
    await db.execute(`DROP TABLE temp.${name}`);
  }
  return count;
}

/**
 * A big backlog (an import of many nodes) is cheaper to list from the index again than to
 * re-tokenise: every queued node is already in log_fts, which the new walk reads. True if it
 * restarted the walk.
 */
export async function restartIfBacklogged(db: WriteHandle, threshold = REBUILD_AT): Promise<boolean> {
  const rs = await db.execute({ sql: `SELECT count(*) AS c FROM (SELECT 1 FROM log_terms_pending WHERE id > 0 LIMIT ?)`, args: [threshold + 1] });
  if (num(rs.rows[0]!, 'c') <= threshold) return false;
  const last = num((await db.execute('SELECT max(id) AS last FROM log_terms_pending')).rows[0]!, 'last');
  await db.batch([
    { sql: `UPDATE log_terms_state SET cursor = '', built = 0`, args: [] },
    { sql: 'DELETE FROM log_terms_pending WHERE id <= ?', args: [last] },
  ], 'write');
  return true;
}

/** How far the dictionary is: for the job's progress and the search's notice. */
export async function termsProgress(db: WriteHandle): Promise<{ built: boolean; cursor: string; pending: number }> {
  const rs = await db.execute('SELECT built, cursor, (SELECT count(*) FROM log_terms_pending WHERE id > 0) AS pending FROM log_terms_state WHERE id = 1');
  const row = rs.rows[0];
  if (row === undefined) return { built: false, cursor: '', pending: 0 };
  return { built: num(row, 'built') === 1, cursor: str(row, 'cursor'), pending: num(row, 'pending') };
}
