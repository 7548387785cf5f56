// Inserts exported records exactly as they were (ids, timestamps, version history), for the
// agent and session import of src/main/services. Inputs are already validated against the
// export format (src/shared/ipc/export-format.ts); the schema's constraints are the backstop.
// (Added by the IPC/services helper; an additive file, no change to the other repositories.)

import type { Client, InStatement } from '@libsql/client';
import type { Agent, AgentVersion, Session } from '../../shared/domain.js';
import { configOf, insertReview } from './agents.js';
import { mapSqliteError } from './errors.js';
import { wellFormedJson } from '../db/well-formed-json.js';

export class ImportsRepository {
  constructor(private readonly db: Client) {}

  async agentExists(id: string): Promise<boolean> {
    const rs = await this.db.execute({ sql: 'SELECT 1 FROM agents WHERE id = ?', args: [id] });
    return rs.rows.length > 0;
  }

  async sessionExists(id: string): Promise<boolean> {
    const rs = await this.db.execute({ sql: 'SELECT 1 FROM sessions WHERE id = ?', args: [id] });
    return rs.rows.length > 0;
  }

  /** Names of agents (not in the trash) that are `base` or `base (N)`, for picking a free name. */
  async namesLike(base: string): Promise<string[]> {
    const pattern = `${base.replace(/[\\%_]/g, (c) => `\\${c}`)} (%)`;
    const rs = await this.db.execute({ sql: "SELECT name FROM agents WHERE deleted_at IS NULL AND (name = ? OR name LIKE ? ESCAPE '\\')", args: [base, pattern] });
    return rs.rows.map((r) => String(r.name));
  }

  /** The agent a version belongs to, or null when the version id is unknown here. */
  async agentOfVersion(versionId: string): Promise<string | null> {
    const rs = await this.db.execute({ sql: 'SELECT agent_id FROM agent_versions WHERE id = ?', args: [versionId] });
    const v = rs.rows[0]?.agent_id;
    return typeof v === 'string' ? v : null;
  }

  /**
   * The agent and its whole version history in one transaction, with its import review when
   * it has one. `versions` must include the agent's current version (the schema's deferred
   * foreign key checks it at commit). Callers disarm the configs first (services/consent.ts).
   */
  async insertAgent(agent: Agent, versions: readonly AgentVersion[]): Promise<void> {
    const c = configOf(agent);
    try {
      await this.db.batch(
        [
          {
            sql: `INSERT INTO agents (id, name, description, avatar, type, instructions, model, plan_model, small_model,
                    builtin_tools, mcp_servers, knowledge, accessible_paths, permission_mode, max_steps, settings, schedule,
                    version, created_at, updated_at, deleted_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            args: [
              agent.id, c.name, c.description, c.avatar, c.type, c.instructions, c.model, c.planModel, c.smallModel,
              wellFormedJson(c.builtinTools), wellFormedJson(c.mcpServers), wellFormedJson(c.knowledge),
              wellFormedJson(c.accessiblePaths), c.permissionMode, c.maxSteps, wellFormedJson(c.settings), c.schedule,
              agent.version, agent.createdAt, agent.updatedAt, agent.deletedAt,
            ],
          },
          ...versions.map((v) => ({
            sql: 'INSERT INTO agent_versions (id, agent_id, version, config, created_at) VALUES (?, ?, ?, ?, ?)',
            args: [v.id, agent.id, v.version, wellFormedJson(configOf(v.config)), v.createdAt],
          })),
          ...insertReview(agent.id, agent.pendingReview),
        ],
        'write',
      );
    } catch (e) {
      mapSqliteError(e, `could not import agent ${agent.id}`);
    }
  }

  /** Adds one version to an existing agent's history without changing the agent (a pinned version of an import). */
  async insertDetachedVersion(version: AgentVersion): Promise<void> {
    try {
      await this.db.execute({
        sql: 'INSERT INTO agent_versions (id, agent_id, version, config, created_at) VALUES (?, ?, ?, ?, ?)',
        args: [version.id, version.agentId, version.version, wellFormedJson(configOf(version.config)), version.createdAt],
      });
    } catch (e) {
      mapSqliteError(e, `could not import agent version ${version.id}`);
    }
  }

  /** The session row exactly as given (its agent and pinned version must exist). */
  async insertSession(s: Session): Promise<void> {
    try {
      await this.db.batch(insertSessionStatements(s), 'write');
    } catch (e) {
      mapSqliteError(e, `could not import session ${s.id}`);
    }
  }

  /** Removes a session created by a failed import (its log rows go with it). */
  async deleteSession(id: string): Promise<void> {
    await this.db.execute({ sql: 'DELETE FROM sessions WHERE id = ?', args: [id] });
  }
}

/** The session row and its tags (a Paddock export carries them), as statements for one transaction. */
export function insertSessionStatements(s: Session): InStatement[] {
  const tags = [...new Set(s.tags ?? [])];
  if (tags.length === 0) return [insertSessionStatement(s)];
  return [
    insertSessionStatement(s),
    { sql: 'INSERT INTO session_tags (session_id, tag, created_at) SELECT ?, value, ? FROM json_each(?)', args: [s.id, s.createdAt, wellFormedJson(tags)] },
  ];
}

/** The statement inserting a session row exactly as given (also run inside a streamed import's transaction). */
export function insertSessionStatement(s: Session): InStatement {
  return {
    sql: `INSERT INTO sessions (id, agent_id, agent_version_id, parent_session_id, name, goal, status, overrides, external_id,
            started_at, ended_at, result, error, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost_usd,
            archived_at, deleted_at, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      s.id, s.agentId, s.agentVersionId, s.parentSessionId, s.name, s.goal, s.status, wellFormedJson(s.overrides), s.externalId,
      s.startedAt, s.endedAt, s.result, s.error, s.tokensIn, s.tokensOut, s.tokensReasoning, s.tokensCached, s.costUsd,
      s.archivedAt, s.deletedAt, s.createdAt, s.updatedAt,
    ],
  };
}
