// What the user marks sessions with (migrations/0060_session_pins_tags.sql): a pin, which lists
// the session first, and tags, which the session list filters by. The marks are read back with
// every session by the SELECTs in sessions-sql.ts; this module only writes them and counts tags.

import { SESSION_TAG_RULES } from '../../shared/domain.js';
import type { TagCount } from '../../shared/ipc/channels/sessions.js';
import { DataError, constraintKind, mapSqliteError, notFound } from './errors.js';
import type { WriteHandle } from './handles.js';
import { nowIso, num, str } from './rows.js';
import { wellFormedJson } from '../db/well-formed-json.js';

export class SessionMarksRepository {
  constructor(private readonly db: WriteHandle) {}

  /** Idempotent: pinning a pinned session keeps its first pin time. NOT_FOUND for an unknown session. */
  async setPinned(sessionId: string, pinned: boolean): Promise<void> {
    await this.#mustExist(sessionId);
    await this.db.execute(
      pinned
        ? { sql: 'INSERT INTO session_pins (session_id, pinned_at) VALUES (?, ?) ON CONFLICT (session_id) DO NOTHING', args: [sessionId, nowIso()] }
        : { sql: 'DELETE FROM session_pins WHERE session_id = ?', args: [sessionId] },
    );
  }

  /**
   * Removes, then adds, in one transaction (tags arrive validated and normalised by the
   * contract's sessionTagSchema). A tag in both lists ends up removed. More than
   * SESSION_TAG_RULES.maxTags on the session is VALIDATION and changes nothing.
   */
  async tag(sessionId: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    await this.#mustExist(sessionId);
    const removed = new Set(remove);
    const added = [...new Set(add)].filter((t) => !removed.has(t));
    const at = nowIso();
    try {
      await this.db.batch(
        [
          { sql: 'DELETE FROM session_tags WHERE session_id = ? AND tag IN (SELECT value FROM json_each(?))', args: [sessionId, wellFormedJson([...removed])] },
          // Tags already there are skipped here rather than by OR IGNORE, so the limit trigger
          // only sees real additions.
          {
            sql: `INSERT INTO session_tags (session_id, tag, created_at)
SELECT ?1, j.value, ?2 FROM json_each(?3) j
WHERE NOT EXISTS (SELECT 1 FROM session_tags t WHERE t.session_id = ?1 AND t.tag = j.value)`,
            args: [sessionId, at, wellFormedJson(added)],
          },
          { sql: 'UPDATE sessions SET updated_at = ? WHERE id = ?', args: [at, sessionId] },
        ],
        'write',
      );
    } catch (e) {
      if (constraintKind(e) === 'trigger') {
        throw new DataError('VALIDATION', `A session has at most ${SESSION_TAG_RULES.maxTags} tags`, { field: 'add', max: SESSION_TAG_RULES.maxTags });
      }
      mapSqliteError(e, `could not tag session ${sessionId}`);
    }
  }

  /** Tags on live (not trashed) sessions, of one agent or all, most used first, then by name. */
  async tagCounts(agentId: string | null, limit: number): Promise<TagCount[]> {
    const rs = await this.db.execute({
      sql: `SELECT t.tag AS tag, count(*) AS n FROM session_tags t JOIN sessions s ON s.id = t.session_id
WHERE s.deleted_at IS NULL AND (?1 IS NULL OR s.agent_id = ?1)
GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?2`,
      args: [agentId, limit],
    });
    return rs.rows.map((r) => ({ tag: str(r, 'tag'), count: num(r, 'n') }));
  }

  async #mustExist(sessionId: string): Promise<void> {
    const rs = await this.db.execute({ sql: 'SELECT 1 FROM sessions WHERE id = ?', args: [sessionId] });
    if (rs.rows.length === 0) throw notFound('session', sessionId);
  }
}
