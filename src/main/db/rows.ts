// Typed column reads for every SQL reader (repositories, log store, migrator): one place that
// turns @libsql/client's loosely typed Row values into the types the code expects, and says
// which column broke when the database holds something else (a DataError CORRUPT, never a
// silently wrong `String(null)` → "null").

import type { ResultSet, Row } from '@libsql/client';
import { DataError } from './errors.js';

/** Reads one column of a row as T; throws DataError('CORRUPT') naming the column otherwise. */
export type ColumnReader<T> = (row: Row, col: string | number) => T;

function wrongType(col: string | number, expected: string, v: unknown): DataError {
  const got = v === null ? 'null' : v === undefined ? 'nothing' : typeof v;
  return new DataError('CORRUPT', `column ${col}: expected ${expected}, got ${got}`, { column: col });
}

export const str: ColumnReader<string> = (row, col) => {
  const v = row[col];
  if (typeof v !== 'string') throw wrongType(col, 'text', v);
  return v;
};

export const strOrNull: ColumnReader<string | null> = (row, col) => {
  const v = row[col];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw wrongType(col, 'text or null', v);
  return v;
};

export const num: ColumnReader<number> = (row, col) => {
  const v = row[col];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw wrongType(col, 'a number', v);
};

export const numOrNull: ColumnReader<number | null> = (row, col) => {
  const v = row[col];
  return v === null || v === undefined ? null : num(row, col);
};

/** SQLite has no booleans: 0 / 1 (what `EXISTS`, comparisons and pragmas return). */
export const bool: ColumnReader<boolean> = (row, col) => num(row, col) !== 0;

/** A TEXT column holding JSON, parsed. The caller's T is trusted: the schema CHECKs json_valid. */
export function json<T>(row: Row, col: string | number): T {
  const text = str(row, col);
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DataError('CORRUPT', `column ${col}: not valid JSON`, { column: col }, { cause: e });
  }
}

export function jsonOrNull<T>(row: Row, col: string | number): T | null {
  return strOrNull(row, col) === null ? null : json<T>(row, col);
}

/**
 * A row decoded by a schema of column readers: `decodeRow(row, { id: num, name: str })`, or
 * `[column, reader]` when the property is named differently from the column.
 */
export type RowSchema = Record<string, ColumnReader<unknown> | readonly [string, ColumnReader<unknown>]>;
export type Decoded<S extends RowSchema> = {
  [K in keyof S]: S[K] extends ColumnReader<infer T> ? T : S[K] extends readonly [string, ColumnReader<infer T>] ? T : never;
};

export function decodeRow<S extends RowSchema>(row: Row, schema: S): Decoded<S> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    out[key] = typeof spec === 'function' ? spec(row, key) : spec[1](row, spec[0]);
  }
  return out as Decoded<S>;
}

/** The first row's column (e.g. `SELECT count(*)`), or `fallback` when there is no row. */
export function scalar<T>(rs: ResultSet, read: ColumnReader<T>, col: string | number = 0, fallback?: T): T {
  const row = rs.rows[0];
  if (!row) {
    if (fallback === undefined) throw new DataError('CORRUPT', 'query returned no row', {});
    return fallback;
  }
  return read(row, col);
}
