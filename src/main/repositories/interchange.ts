// Look-ups for file import and export: the agent that holds sessions imported from another
// tool, where an imported session came from, and which sessions an export covers.
import type { Client } from '@libsql/client';
import type { JsonValue } from '../../shared/domain.js';

export interface SessionSource {
  sessionId: string;
  format: string;
  sourceId: string | null;
  file: string | null;
  importedAt: string;
  metadata: Record<string, JsonValue>;
}

export class InterchangeRepository {
  constructor(private readonly db: Pick<Client, 'execute'>) {}

  /** A live agent with exactly this name, with its current version; null when there is none. */
  async agentByName(name: string): Promise<{ agentId: string; versionId: string; version: number } | null> {
    const rs = await this.db.execute({
      sql: `SELECT a.id AS agent_id, v.id AS version_id, v.version AS version FROM agents a
            JOIN agent_versions v ON v.agent_id = a.id AND v.version = a.version
            WHERE a.name = ? COLLATE BINARY AND a.deleted_at IS NULL ORDER BY a.created_at LIMIT 1`,
      args: [name],
    });
    const r = rs.rows[0];
    return r ? { agentId: String(r.agent_id), versionId: String(r.version_id), version: Number(r.version) } : null;
  }

  /** The live session imported earlier from the same foreign session, if any. */
  async sessionFromSource(format: string, sourceId: string): Promise<string | null> {
    const rs = await this.db.execute({
      sql: `SELECT s.session_id FROM session_sources s JOIN sessions x ON x.id = s.session_id
            WHERE s.format = ? AND s.source_id = ? AND x.deleted_at IS NULL LIMIT 1`,
      args: [format, sourceId],
    });
    const v = rs.rows[0]?.session_id;
    return typeof v === 'string' ? v : null;
  }

  async source(sessionId: string): Promise<SessionSource | null> {
    const rs = await this.db.execute({ sql: 'SELECT * FROM session_sources WHERE session_id = ?', args: [sessionId] });
    const r = rs.rows[0];
    if (!r) return null;
    return {
      sessionId: String(r.session_id),
      format: String(r.format),
      sourceId: r.source_id === null ? null : String(r.source_id),
      file: r.file === null ? null : String(r.file),
      importedAt: String(r.imported_at),
      metadata: JSON.parse(String(r.metadata)) as Record<string, JsonValue>,
    };
  }

  /** Ids of the sessions an export covers (oldest first): one agent's, or all; trashed ones never. */
  async sessionIds(agentId: string | null): Promise<string[]> {
    const rs = await this.db.execute({
      sql: `SELECT id FROM sessions WHERE deleted_at IS NULL AND (?1 IS NULL OR agent_id = ?1) ORDER BY created_at, id`,
      args: [agentId],
    });
    return rs.rows.map((r) => String(r.id));
  }
}
