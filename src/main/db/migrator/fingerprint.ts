// A schema fingerprint: a hash of the normalised sqlite_schema, stored after every migration and
// compared at open, so a hand-edited, half-migrated or tampered schema is noticed (drift).

import { createHash } from 'node:crypto';
import type { Client, Transaction } from '@libsql/client';
import { decodeRow, str, strOrNull } from '../rows.js';

/** The migrator's own bookkeeping tables: never part of the application schema. */
export const MIGRATOR_TABLES = ['schema_migrations', 'schema_migrations_audit'];

// Shadow tables that full-text and r-tree virtual tables create and maintain themselves.
const SHADOW_SUFFIXES: Record<string, string[]> = {
  fts5: ['data', 'idx', 'docsize', 'config', 'content'],
  fts4: ['content', 'segments', 'segdir', 'docsize', 'stat'],
  fts3: ['content', 'segments', 'segdir', 'docsize', 'stat'],
  rtree: ['node', 'parent', 'rowid'],
};

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

type Reader = Pick<Client, 'execute'> | Pick<Transaction, 'execute'>;

/**
 * Layout is not schema: whitespace runs collapse, spaces around punctuation go, and quotes around
 * plain identifiers go (`ALTER TABLE new_x RENAME TO x` stores `CREATE TABLE "x"`, so without this
 * a 12-step rebuild and its down would never fingerprint like the original). String literals stay
 * byte-for-byte.
 */
export function normaliseSql(sql: string | null): string {
  const src = sql ?? '';
  let out = '';
  let code = ''; // pending non-string text, normalised when a string literal or the end is reached
  const flush = (): void => {
    out += code
      .replace(/\s+/g, ' ')
      .replace(/\s*([(),;=<>+*/-])\s*/g, '$1');
    code = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "'") {
      let j = i + 1;
      while (j < src.length && !(src[j] === "'" && src[j + 1] !== "'")) j += src[j] === "'" ? 2 : 1;
      flush();
      out += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const j = src.indexOf(close, i + 1);
      const inner = j < 0 ? '' : src.slice(i + 1, j);
      if (j > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) {
        code += inner;
        i = j + 1;
        continue;
      }
    }
    code += c;
    i++;
  }
  flush();
  return out.trim();
}

export async function schemaObjects(db: Reader): Promise<SchemaRow[]> {
  const rs = await db.execute(
    "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
  );
  const rows = rs.rows.map((r) => decodeRow(r, { type: str, name: str, tbl_name: str, sql: strOrNull }));
  const shadow = new Set<string>();
  for (const r of rows) {
    if (r.type !== 'table' || !r.sql) continue;
    const m = /\bUSING\s+(\w+)/i.exec(r.sql);
    const mod = m?.[1]?.toLowerCase();
    if (!mod || !/^CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql)) continue;
    for (const s of SHADOW_SUFFIXES[mod] ?? []) shadow.add(`${r.name}_${s}`.toLowerCase());
  }
  return rows.filter(
    (r) => !shadow.has(r.name.toLowerCase()) && !shadow.has(r.tbl_name.toLowerCase()) && !MIGRATOR_TABLES.includes(r.tbl_name),
  );
}

/** `sha256:<hex>` over the sorted, normalised (type, name, table, sql) rows. */
export async function schemaFingerprint(db: Reader): Promise<string> {
  const rows = await schemaObjects(db);
  const canonical = rows
    .map((r) => [r.type, r.name.toLowerCase(), r.tbl_name.toLowerCase(), normaliseSql(r.sql)].join('\u0000'))
    .sort()
    .join('\n');
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}
