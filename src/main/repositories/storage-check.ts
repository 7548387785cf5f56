// The storage self-check's SQL (docs/storage.md). quick() runs at every launch and must stay
// cheap on a 600 MB database: only lookups by key and LIMITed reads of the newest rows, never a
// scan. deep() runs in the background: SQLite's integrity_check, the full-text index against the
// log, and rows that lost their node or session.

import type { StorageProblem } from '../../shared/ipc/channels/storage.js';
import type { ReadHandle, WriteHandle } from './handles.js';

/** Tables and index the app cannot work without. */
const REQUIRED = ['agents', 'agent_versions', 'sessions', 'log_nodes', 'log_chunks', 'log_timings', 'log_fts', 'schema_migrations'];
/** How many of the newest rows the quick check samples. */
const SAMPLE = 40;

function problem(code: string, message: string, repairs: StorageProblem['repairs']): StorageProblem {
  return { code, message, repairs };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A word of `text` the full-text index must know (letters/digits only, so MATCH needs no escaping). */
export function probeToken(text: string): string | null {
  const m = /[\p{L}\p{N}]{3,40}/u.exec(text);
  return m ? m[0] : null;
}

export class StorageCheckRepository {
  constructor(private readonly db: ReadHandle & WriteHandle) {}

  /** The launch check: schema present, newest rows readable and consistent, index answers for them. */
  async quick(): Promise<StorageProblem[]> {
    const out: StorageProblem[] = [];
    let names: Set<string>;
    try {
      const rs = await this.db.execute({ sql: `SELECT name FROM sqlite_schema WHERE name IN (${REQUIRED.map(() => '?').join(', ')})`, args: REQUIRED });
      names = new Set(rs.rows.map((r) => String(r.name)));
    } catch (e) {
      return [problem('unreadable', `The database cannot be read: ${errorText(e)}`, ['restore_backup', 'export_readable'])];
    }
    const missing = REQUIRED.filter((n) => !names.has(n));
    if (missing.length > 0) {
      return [problem('schema_missing', `Parts of the database are missing: ${missing.join(', ')}.`, ['restore_backup', 'export_readable'])];
    }
    await this.#sampleRows(out);
    await this.#sampleIndex(out);
    return out;
  }

  /**
   * Newest nodes and their spans: readable, and each pointing at something that exists. Only
   * the ids are read first: a node's text (overflow pages for long text) is read only for the
   * nodes that have a span to check against it.
   */
  async #sampleRows(out: StorageProblem[]): Promise<void> {
    try {
      const rs = await this.db.execute({
        sql: `SELECT
          (SELECT count(*) FROM (SELECT session_id, parent_id FROM log_nodes ORDER BY n DESC LIMIT ?1) x
             WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = x.session_id)
               OR (x.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM log_nodes p WHERE p.id = x.parent_id))) AS lost,
          (SELECT count(*) FROM (SELECT n FROM log_nodes ORDER BY n DESC LIMIT ?1) x
             JOIN log_timings s ON s.n = x.n
             WHERE s.base + s.bytes
               > (SELECT length(CAST(CASE WHEN n.kind = 'action' THEN n.tool_args ELSE n.content END AS BLOB)) FROM log_nodes n WHERE n.n = x.n)) AS bad_spans`,
        args: [SAMPLE],
      });
      const r = rs.rows[0]!;
      if (Number(r.lost) > 0) out.push(problem('orphan_rows', 'Some log entries have lost their session or the entry they belong under.', ['remove_orphans', 'restore_backup', 'export_readable']));
      if (Number(r.bad_spans) > 0) out.push(problem('span_range', "Some streamed text's timing does not match its text.", ['remove_orphans', 'restore_backup']));
    } catch (e) {
      out.push(problem('unreadable', `Recent session logs cannot be read: ${errorText(e)}`, ['restore_backup', 'export_readable']));
    }
  }

  /** The newest finished nodes with text must be found by the full-text index. */
  async #sampleIndex(out: StorageProblem[]): Promise<void> {
    try {
      const rs = await this.db.execute({
        sql: `SELECT n.n, substr(n.content, 1, 400) AS text FROM log_nodes n
              WHERE n.n > (SELECT coalesce(max(n), 0) FROM log_nodes) - 200 AND n.status <> 'streaming' AND n.content <> ''
              ORDER BY n.n DESC LIMIT 5`,
        args: [],
      });
      for (const r of rs.rows) {
        const token = probeToken(String(r.text));
        if (!token) continue;
        const hit = await this.db.execute({ sql: `SELECT count(*) AS c FROM log_fts WHERE log_fts MATCH ? AND rowid = CAST(? AS INTEGER)`, args: [`"${token}"`, Number(r.n)] });
        if (Number(hit.rows[0]!.c) === 0) {
          out.push(problem('fts_index', 'The search index is missing recent log entries: search would not find them.', ['rebuild_index']));
          return;
        }
      }
    } catch (e) {
      out.push(problem('fts_index', `The search index cannot be read: ${errorText(e)}`, ['rebuild_index']));
    }
  }

  /** The background check: every page, the whole index, every reference. */
  async deep(): Promise<StorageProblem[]> {
    const out: StorageProblem[] = [];
    try {
      const rs = await this.db.execute('PRAGMA integrity_check(20)');
      // By name: a worker connection's rows are keyed by column name only.
      const lines = rs.rows.map((r) => String(r.integrity_check));
      if (lines.length !== 1 || lines[0] !== 'ok') {
        out.push(problem('integrity', `SQLite found damage in the database file: ${lines.slice(0, 3).join('; ')}`, ['restore_backup', 'export_readable', 'rebuild_index']));
      }
    } catch (e) {
      out.push(problem('integrity', `The database file could not be checked: ${errorText(e)}`, ['restore_backup', 'export_readable']));
    }
    try {
      // rank = 1 also compares the index with the log_nodes rows it was built from.
      await this.db.execute(`INSERT INTO log_fts (log_fts, rank) VALUES ('integrity-check', 1)`);
    } catch (e) {
      out.push(problem('fts_index', `The search index does not match the session logs (${errorText(e)}).`, ['rebuild_index']));
    }
    try {
      const rs = await this.db.execute(`SELECT
          (SELECT count(*) FROM pragma_foreign_key_check('log_nodes')) AS nodes,
          (SELECT count(*) FROM pragma_foreign_key_check('log_chunks')) AS chunks,
          (SELECT count(*) FROM pragma_foreign_key_check('log_timings')) AS spans`);
      const r = rs.rows[0]!;
      if (Number(r.nodes) > 0) out.push(problem('orphan_rows', `${Number(r.nodes)} log entries have lost their session or the entry they belong under.`, ['remove_orphans', 'restore_backup', 'export_readable']));
      const rows = Number(r.chunks) + Number(r.spans);
      if (rows > 0) out.push(problem('orphan_chunks', `${rows} pieces of streamed text belong to no log entry.`, ['remove_orphans']));
    } catch (e) {
      out.push(problem('unreadable', `Session logs cannot be read: ${errorText(e)}`, ['restore_backup', 'export_readable']));
    }
    return out;
  }

  /** Every session id (for "export what is readable"). */
  async sessionIds(): Promise<string[]> {
    const rs = await this.db.execute('SELECT id FROM sessions ORDER BY created_at, id');
    return rs.rows.map((r) => String(r.id));
  }

  /** Rebuilds the full-text index from the log (search works again; nothing else changes). */
  async rebuildIndex(): Promise<void> {
    await this.db.execute(`INSERT INTO log_fts (log_fts) VALUES ('rebuild')`);
  }

  /**
   * Deletes rows that point at nothing: chunks and spans without their node, and nodes whose
   * session or parent is gone (with everything under them), deepest first so no reference dangles.
   */
  async removeOrphans(): Promise<number> {
    const rs = await this.db.batch(
      [
        `DELETE FROM log_chunks WHERE NOT EXISTS (SELECT 1 FROM log_nodes n WHERE n.id = log_chunks.node_id)`,
        `DELETE FROM log_timings WHERE NOT EXISTS (SELECT 1 FROM log_nodes n WHERE n.n = log_timings.n)`,
        `UPDATE log_nodes SET cause_id = NULL WHERE cause_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM log_nodes c WHERE c.id = log_nodes.cause_id)`,
        // Nodes of a session that no longer exists, and every node under a missing parent.
        `CREATE TEMP TABLE IF NOT EXISTS _orphans (n INTEGER PRIMARY KEY)`,
        `DELETE FROM temp._orphans`,
        `INSERT INTO temp._orphans
          WITH RECURSIVE lost(n, id) AS (
            SELECT n, id FROM log_nodes l WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = l.session_id)
              OR (l.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM log_nodes p WHERE p.id = l.parent_id))
            UNION SELECT c.n, c.id FROM log_nodes c JOIN lost ON c.parent_id = lost.id
          ) SELECT n FROM lost`,
        `UPDATE log_nodes SET cause_id = NULL WHERE cause_id IN (SELECT l.id FROM log_nodes l JOIN temp._orphans o ON o.n = l.n)`,
        // One statement: a parent and its children go together, so no reference dangles at its end.
        `DELETE FROM log_nodes WHERE n IN (SELECT n FROM temp._orphans)`,
        `DELETE FROM temp._orphans`,
      ],
      'write',
    );
    return rs.reduce((a, r) => a + r.rowsAffected, 0);
  }
}
