// Small helpers shared by the repositories: typed column reads (db/rows.ts), keyset cursors
// and the keyset page query, LIKE escaping and list-option checks. The only SQL here is the
// WHERE / ORDER BY / LIMIT frame of a page; the SELECT and its filter terms are the caller's.

import type { InValue, Row } from '@libsql/client';
import { str } from '../db/rows.js';
import type { ReadHandle } from './handles.js';
import type { Page } from '../../shared/domain.js';
import { DataError } from './errors.js';

export { bool, decodeRow, json, jsonOrNull, num, numOrNull, str, strOrNull } from '../db/rows.js';

export function nowIso(): string {
  return new Date().toISOString();
}

/** Escapes LIKE wildcards so a search for "50%_off" matches literally (use with ESCAPE '\'). */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type SortDirection = 'asc' | 'desc';

interface CursorPayload {
  /** The sort and direction the cursor was made for; a cursor is refused under another. */
  s: string;
  d: SortDirection;
  /** Sort key value and id of the last row of the previous page. */
  v: string;
  i: string;
}

export function encodeCursor(sort: string, direction: SortDirection, value: string, id: string): string {
  const payload: CursorPayload = { s: sort, d: direction, v: value, i: id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, sort: string, direction: SortDirection): { value: string; id: string } {
  let p: Partial<CursorPayload>;
  try {
    p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    throw new DataError('VALIDATION', 'invalid cursor', { field: 'cursor' });
  }
  if (!p || typeof p.v !== 'string' || typeof p.i !== 'string') {
    throw new DataError('VALIDATION', 'invalid cursor', { field: 'cursor' });
  }
  if (p.s !== sort || p.d !== direction) {
    throw new DataError('VALIDATION', `cursor was made for sort ${p.s} ${p.d}, not ${sort} ${direction}`, { field: 'cursor' });
  }
  return { value: p.v, id: p.i };
}

export const DEFAULT_PAGE_SIZE = 50;

/**
 * The WHERE fragment and arguments of a keyset page: rows strictly after (value, id) in the
 * sort order. Row-value comparison lets SQLite range-scan the (sort key, id) index.
 */
export function keysetCondition(
  column: string,
  idColumn: string,
  direction: SortDirection,
  cursor: { value: string; id: string },
): { sql: string; args: string[] } {
  const op = direction === 'asc' ? '>' : '<';
  return { sql: `(${column}, ${idColumn}) ${op} (?, ?)`, args: [cursor.value, cursor.id] };
}

/** ` WHERE a AND b …`, or nothing when there are no terms. */
export function whereClause(where: readonly string[]): string {
  return where.length ? ` WHERE ${where.join(' AND ')}` : '';
}

export interface KeysetPageQuery<T> {
  /** `SELECT … FROM …` without WHERE; its rows must carry `id` and the sort column. */
  select: string;
  /** Filter terms and their arguments (the cursor's term is added here). */
  where: readonly string[];
  args: readonly InValue[];
  /** Sort name as the caller's API spells it: a cursor is only valid for the same one. */
  sort: string;
  /** The sort column as named in the result rows, e.g. created_at. */
  column: string;
  /** Table alias of the SELECT (e.g. 's.'), prepended to the sort and id columns in SQL. */
  alias?: string;
  direction: SortDirection;
  limit: number;
  cursor?: string | null;
  map: (row: Row) => T;
}

/**
 * One keyset page: rows after the cursor in (sort column, id) order. One row more than the
 * limit is read to know whether another page follows; nextCursor points at the page's last row.
 */
export async function keysetPage<T>(db: ReadHandle, q: KeysetPageQuery<T>): Promise<Page<T>> {
  const alias = q.alias ?? '';
  const where = [...q.where];
  const args: InValue[] = [...q.args];
  if (q.cursor) {
    const k = keysetCondition(`${alias}${q.column}`, `${alias}id`, q.direction, decodeCursor(q.cursor, q.sort, q.direction));
    where.push(k.sql);
    args.push(...k.args);
  }
  const dir = q.direction === 'asc' ? 'ASC' : 'DESC';
  const rs = await db.execute({
    sql: `${q.select}${whereClause(where)} ORDER BY ${alias}${q.column} ${dir}, ${alias}id ${dir} LIMIT ?`,
    args: [...args, q.limit + 1],
  });
  const items = rs.rows.slice(0, q.limit).map(q.map);
  const last = rs.rows.length > q.limit ? rs.rows[q.limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(q.sort, q.direction, str(last, q.column), str(last, 'id')) : null };
}
