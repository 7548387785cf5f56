// Retention (docs/storage.md): which sessions a rule selects, what deleting them frees, and the
// deletion itself in small transactions, so a session streaming meanwhile keeps committing: each
// transaction deletes at most BATCH log nodes (deepest first, so no parent goes before its
// children) and the caller yields between them. Then the file gives the space back (incremental
// vacuum) when the database was created, or compacted once, with auto_vacuum = INCREMENTAL.

import type { RetentionPreview, RetentionRule, StorageSettings } from '../../shared/ipc/channels/storage.js';
import fs from 'node:fs';
import path from 'node:path';
import Libsql from 'libsql';
import type { ReadHandle, WriteHandle } from './handles.js';

/** Log nodes per delete transaction: a few ms each, so the log writer never waits long. */
export const RETENTION_BATCH = 500;
/** Pages per incremental_vacuum step (4 KB each: ~4 MB). */
const VACUUM_STEP_PAGES = 1000;

export interface RetentionCandidate {
  id: string;
  agentId: string;
  name: string;
  agentName: string;
  updatedAt: string;
  nodes: number;
  bytes: number;
}

/** Bytes a log node holds: its text, arguments and result. */
const NODE_BYTES = `length(CAST(n.content AS BLOB)) + coalesce(length(CAST(n.tool_args AS BLOB)), 0) + coalesce(length(CAST(n.tool_result AS BLOB)), 0)`;

function whereOf(rule: RetentionRule, now: Date): { where: string[]; args: (string | number)[] } {
  // A session that is running or waiting for an answer is never selected, whatever the rule.
  const where = [`s.status NOT IN ('running', 'waiting_for_user_input')`];
  const args: (string | number)[] = [];
  if (rule.state === 'trashed') where.push('s.deleted_at IS NOT NULL');
  else if (rule.state === 'archived') where.push('s.archived_at IS NOT NULL AND s.deleted_at IS NULL');
  else if (rule.state === 'archived_or_trashed') where.push('(s.archived_at IS NOT NULL OR s.deleted_at IS NOT NULL)');
  if (rule.olderThanDays !== undefined) {
    const cutoff = new Date(now.getTime() - rule.olderThanDays * 86_400_000).toISOString();
    where.push(rule.state === 'trashed' ? 's.deleted_at <= ?' : 's.updated_at <= ?');
    args.push(cutoff);
  }
  if (rule.agentId !== undefined) {
    where.push('s.agent_id = ?');
    args.push(rule.agentId);
  }
  return { where, args };
}

export class RetentionRepository {
  constructor(private readonly db: ReadHandle & WriteHandle) {}

  /** Sessions the rule selects, newest activity first, with their log's size. */
  async candidates(rule: RetentionRule, now = new Date()): Promise<RetentionCandidate[]> {
    const { where, args } = whereOf(rule, now);
    const minBytes = rule.largerThanMb !== undefined ? Math.round(rule.largerThanMb * 1024 * 1024) : 0;
    const rs = await this.db.execute({
      sql: `SELECT x.* FROM (
              SELECT s.id, s.agent_id, s.name, a.name AS agent_name, s.updated_at,
                (SELECT count(*) FROM log_nodes n WHERE n.session_id = s.id) AS nodes,
                (SELECT coalesce(sum(${NODE_BYTES}), 0) FROM log_nodes n WHERE n.session_id = s.id) AS bytes
              FROM sessions s JOIN agents a ON a.id = s.agent_id
              WHERE ${where.join(' AND ')}) x
            WHERE x.bytes >= ?
            ORDER BY x.updated_at DESC, x.id`,
      args: [...args, minBytes],
    });
    return rs.rows.map((r) => ({
      id: String(r.id),
      agentId: String(r.agent_id),
      name: String(r.name),
      agentName: String(r.agent_name),
      updatedAt: String(r.updated_at),
      nodes: Number(r.nodes),
      bytes: Number(r.bytes),
    }));
  }

  async preview(rule: RetentionRule, now = new Date()): Promise<RetentionPreview> {
    const list = await this.candidates(rule, now);
    return {
      sessions: list.length,
      nodes: list.reduce((a, c) => a + c.nodes, 0),
      bytes: list.reduce((a, c) => a + c.bytes, 0),
      examples: list.slice(0, 20).map(({ nodes: _n, agentId: _a, ...c }) => c),
    };
  }

  /**
   * Deletes up to RETENTION_BATCH of the session's log nodes, deepest first, in one transaction;
   * returns how many went (0: the log is empty). References from other nodes' cause_id are
   * cleared in the same transaction, since cause_id has no cascade.
   */
  async deleteLogBatch(sessionId: string): Promise<number> {
    const rs = await this.db.execute({
      sql: `SELECT json_group_array(id) AS ids, count(*) AS c FROM (
              SELECT id FROM log_nodes WHERE session_id = ? ORDER BY path DESC LIMIT ?)`,
      args: [sessionId, RETENTION_BATCH],
    });
    const count = Number(rs.rows[0]?.c ?? 0);
    if (count === 0) return 0;
    const ids = String(rs.rows[0]!.ids);
    const [, del] = await this.db.batch(
      [
        { sql: `UPDATE log_nodes SET cause_id = NULL WHERE cause_id IN (SELECT value FROM json_each(?))`, args: [ids] },
        { sql: `DELETE FROM log_nodes WHERE id IN (SELECT value FROM json_each(?)) AND session_id = ?`, args: [ids, sessionId] },
      ],
      'write',
    );
    return del?.rowsAffected ?? 0;
  }

  /** Deletes the (empty-logged) session row itself, unless it started running meanwhile. */
  async deleteSession(sessionId: string): Promise<boolean> {
    const rs = await this.db.execute({
      sql: `DELETE FROM sessions WHERE id = ? AND status NOT IN ('running', 'waiting_for_user_input')`,
      args: [sessionId],
    });
    return rs.rowsAffected > 0;
  }

  /** 'none' | 'full' | 'incremental', and the free pages' bytes. */
  async space(): Promise<{ autoVacuum: 'none' | 'full' | 'incremental'; freeBytes: number; pageSize: number }> {
    const rs = await this.db.execute(`SELECT (SELECT auto_vacuum FROM pragma_auto_vacuum) AS av,
      (SELECT freelist_count FROM pragma_freelist_count) AS free, (SELECT page_size FROM pragma_page_size) AS ps`);
    const r = rs.rows[0]!;
    const av = Number(r.av);
    return { autoVacuum: av === 2 ? 'incremental' : av === 1 ? 'full' : 'none', freeBytes: Number(r.free) * Number(r.ps), pageSize: Number(r.ps) };
  }

  /**
   * Gives free pages back to the file system, VACUUM_STEP_PAGES per transaction, calling
   * `between` after each so other writers get their turn. Driver trap: incremental_vacuum frees
   * ONE page per step of the statement, and both @libsql/client's execute()/batch() and the
   * driver's run() step it once, leaving it in progress and the write lock held (the next writer
   * gets SQLITE_BUSY; a batch's COMMIT fails). Only stepping it to the end (all()) frees the pages
   * and ends the transaction, so this uses the `libsql` driver on its own connection.
   */
  static async incrementalVacuum(dbPath: string, between: () => Promise<void>): Promise<void> {
    const db = new Libsql(dbPath, { timeout: 5000 });
    try {
      const step = db.prepare(`PRAGMA incremental_vacuum(${VACUUM_STEP_PAGES})`);
      const free = db.prepare('PRAGMA freelist_count');
      while (Number((free.get() as { freelist_count: number }).freelist_count) > 0) {
        step.all();
        await between();
      }
    } finally {
      db.close();
    }
  }

  /**
   * Creates a database file that does not exist yet with auto_vacuum = INCREMENTAL (it can only be
   * chosen before the first table; an existing file needs compact()). Nothing when it exists.
   */
  static createIncremental(dbPath: string): boolean {
    if (fs.existsSync(dbPath) || !fs.existsSync(path.dirname(dbPath))) return false;
    const db = new Libsql(dbPath, { timeout: 5000 });
    try {
      db.pragma('auto_vacuum = INCREMENTAL');
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
    return true;
  }

  /** One-time rewrite of the whole file with auto_vacuum = INCREMENTAL (outside any transaction). */
  async convertToIncremental(): Promise<void> {
    await this.db.execute('PRAGMA auto_vacuum = INCREMENTAL');
    await this.db.execute('VACUUM');
  }

  async settings(): Promise<StorageSettings> {
    const rs = await this.db.execute('SELECT trash_days, daily_backup, last_daily_backup_at FROM storage_settings WHERE id = 1');
    const r = rs.rows[0];
    if (!r) return { trashDays: 30, dailyBackup: false, lastDailyBackupAt: null };
    return {
      trashDays: r.trash_days === null ? null : Number(r.trash_days),
      dailyBackup: Number(r.daily_backup) === 1,
      lastDailyBackupAt: r.last_daily_backup_at === null ? null : String(r.last_daily_backup_at),
    };
  }

  async saveSettings(patch: { trashDays?: number | null; dailyBackup?: boolean; lastDailyBackupAt?: string }): Promise<StorageSettings> {
    const cur = await this.settings();
    const next = { ...cur, ...patch };
    await this.db.execute({
      sql: `INSERT INTO storage_settings (id, trash_days, daily_backup, last_daily_backup_at) VALUES (1, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET trash_days = excluded.trash_days, daily_backup = excluded.daily_backup,
              last_daily_backup_at = excluded.last_daily_backup_at`,
      args: [next.trashDays, next.dailyBackup ? 1 : 0, next.lastDailyBackupAt],
    });
    return this.settings();
  }
}
