// Agents and their immutable config versions (migrations/0001_agents.sql).
//
// Every saved change writes a new agent_versions row in the same transaction as the agents row,
// and the agents row's version doubles as an optimistic-concurrency token: an update is a
// compare-and-swap on (id, version), so two editors can never both save "version 5".

import type { Client } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import type { Agent, AgentConfig, AgentVersion, Page, PendingReview } from '../../shared/domain.js';
import {
  AGENT_SELECT,
  AGENT_SELECT_BEFORE_REVIEWS,
  CONFIG_COLUMNS,
  SORT_COLUMNS,
  VERSION_SELECT,
  configOf,
  configValues,
  filterConditions,
  insertReview,
  insertVersion,
  rowToAgent,
  rowToAgentVersion,
  sameConfig,
  type AgentFilter,
  type AgentListOptions,
} from './agents-sql.js';
import { DataError, mapSqliteError, notFound } from './errors.js';
import { sessionCountsByAgent, type AgentSessionCount } from './session-rollups.js';
import { DEFAULT_PAGE_SIZE, keysetPage, nowIso, num, whereClause } from './rows.js';
import { parseAgentConfigPatch, parseNewAgentConfig } from './validation.js';
import { wellFormedJson } from '../db/well-formed-json.js';

export { AGENT_SORTS, configOf, insertReview, rowToAgentVersion, type AgentFilter, type AgentListOptions, type AgentSort } from './agents-sql.js';

export interface AgentUpdateOptions {
  /** Refuse with CONFLICT unless the agent is still at this version (the one the editor loaded). */
  expectedVersion?: number;
  /** Also ends the agent's import review, in the same transaction as the change. */
  clearReview?: boolean;
}

export interface PurgeOptions {
  /** Also hard-delete the agent's sessions (and, through them, their logs). Default false. */
  cascade?: boolean;
}

export interface PurgeResult {
  sessionsDeleted: number;
}

/** How many times update() re-reads and retries after losing a race when no expectedVersion is given. */
const UPDATE_RETRIES = 3;

export class AgentsRepository {
  /** Set once agent_reviews is known to exist; a schema only ever gains it (by migrating). */
  private hasReviews = false;

  constructor(private readonly db: Client) {}

  /**
   * The agent SELECT for this schema. The probe is a primary-key lookup (so the repository's
   * "every query uses an index" tests hold) that fails with "no such table" before 0005.
   */
  private async agentSelect(): Promise<string> {
    if (!this.hasReviews) {
      try {
        await this.db.execute({ sql: 'SELECT 1 FROM agent_reviews WHERE agent_id = ?', args: [''] });
        this.hasReviews = true;
      } catch (e) {
        if (!/no such table: agent_reviews/.test(String((e as Error)?.message))) throw e;
      }
    }
    return this.hasReviews ? AGENT_SELECT : AGENT_SELECT_BEFORE_REVIEWS;
  }

  /** Live sessions per agent (session-rollups.ts: a covering index, one range per listed agent). */
  sessionCounts(agentIds?: readonly string[]): Promise<AgentSessionCount[]> {
    return sessionCountsByAgent(this.db, agentIds);
  }

  async list(opts: AgentListOptions = {}): Promise<Page<Agent>> {
    const sort = opts.sort ?? 'name';
    const direction = opts.order ?? 'asc';
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    const { where, args } = filterConditions(opts, true);
    return keysetPage(this.db, { select: await this.agentSelect(), where, args, sort, column: SORT_COLUMNS[sort], direction, limit, cursor: opts.cursor, map: rowToAgent });
  }

  async count(filter: AgentFilter = {}): Promise<number> {
    const { where, args } = filterConditions(filter);
    const rs = await this.db.execute({
      sql: `SELECT count(*) AS n FROM agents${whereClause(where)}`,
      args,
    });
    return num(rs.rows[0]!, 'n');
  }

  /** True when the agent exists (and, unless includeDeleted, is not in the trash). */
  async exists(id: string, opts: { includeDeleted?: boolean } = {}): Promise<boolean> {
    const rs = await this.db.execute({
      sql: `SELECT 1 FROM agents WHERE id = ?${opts.includeDeleted ? '' : ' AND deleted_at IS NULL'}`,
      args: [id],
    });
    return rs.rows.length > 0;
  }

  /** Any agent, including soft-deleted ones (deletedAt tells). NOT_FOUND when absent. */
  async get(id: string): Promise<Agent> {
    const rs = await this.db.execute({ sql: `${await this.agentSelect()} WHERE id = ?`, args: [id] });
    const row = rs.rows[0];
    if (!row) throw notFound('agent', id);
    return rowToAgent(row);
  }

  /**
   * Creates the agent at version 1 (agent row and version row in one transaction). A review is
   * stored with it when given (a duplicate of an agent that still needs one).
   */
  async create(input: Partial<AgentConfig> & { name: string }, review: PendingReview | null = null): Promise<Agent> {
    const config = parseNewAgentConfig(input);
    const id = uuidv7();
    const at = nowIso();
    const cols = CONFIG_COLUMNS.map(([, c]) => c);
    try {
      await this.db.batch(
        [
          {
            sql: `INSERT INTO agents (id, ${cols.join(', ')}, version, created_at, updated_at) VALUES (?, ${cols.map(() => '?').join(', ')}, 1, ?, ?)`,
            args: [id, ...configValues(config), at, at],
          },
          insertVersion(uuidv7(), id, 1, config, at),
          ...insertReview(id, review),
        ],
        'write',
      );
    } catch (e) {
      mapSqliteError(e, 'could not create agent');
    }
    return this.get(id);
  }

  /**
   * Saves a change as a new version. Fields not given keep their value; a change that alters
   * nothing returns the agent unchanged (no empty version). CONFLICT when the agent is in the
   * trash or, with expectedVersion, when someone else saved first.
   */
  async update(id: string, patch: Partial<AgentConfig>, opts: AgentUpdateOptions = {}): Promise<Agent> {
    const changes = parseAgentConfigPatch(patch);
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(id);
      if (current.deletedAt) {
        throw new DataError('CONFLICT', `agent ${id} is deleted; restore it before editing`, { id });
      }
      if (opts.expectedVersion !== undefined && current.version !== opts.expectedVersion) {
        throw new DataError('CONFLICT', `agent ${id} was changed by someone else (now version ${current.version}, expected ${opts.expectedVersion})`, {
          id,
          currentVersion: current.version,
          expectedVersion: opts.expectedVersion,
        });
      }
      const next = parseNewAgentConfig({ ...configOf(current), ...changes });
      if (sameConfig(next, current)) {
        if (!opts.clearReview || !current.pendingReview) return current;
        await this.db.execute({ sql: 'DELETE FROM agent_reviews WHERE agent_id = ?', args: [id] });
        return this.get(id);
      }

      const at = nowIso();
      const version = current.version + 1;
      let swapped: boolean;
      try {
        const [upd] = await this.db.batch(
          [
            {
              // Compare-and-swap on the version we read; 0 rows means someone saved in between.
              sql: `UPDATE agents SET ${CONFIG_COLUMNS.map(([, c]) => `${c} = ?`).join(', ')}, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
              args: [...configValues(next), version, at, id, current.version],
            },
            {
              // Written only if the swap happened (changes() is the UPDATE's row count).
              sql: 'INSERT INTO agent_versions (id, agent_id, version, config, created_at) SELECT ?, ?, ?, ?, ? WHERE changes() = 1',
              args: [uuidv7(), id, version, wellFormedJson(configOf(next)), at],
            },
            // Likewise only after the swap (changes() is now the INSERT's count).
            ...(opts.clearReview ? [{ sql: 'DELETE FROM agent_reviews WHERE agent_id = ? AND changes() = 1', args: [id] }] : []),
          ],
          'write',
        );
        swapped = upd!.rowsAffected === 1;
      } catch (e) {
        mapSqliteError(e, `could not update agent ${id}`);
      }
      if (swapped) return this.get(id);
      if (opts.expectedVersion !== undefined || attempt + 1 >= UPDATE_RETRIES) {
        throw new DataError('CONFLICT', `agent ${id} was changed by someone else while saving`, { id });
      }
    }
  }

  /**
   * A new agent (version 1) with the same config; name defaults to "<name> (copy)". A copy of
   * an agent that still needs review needs it too: duplicating must not arm anything.
   */
  async duplicate(id: string, newName?: string): Promise<Agent> {
    const source = await this.get(id);
    return this.create({ ...configOf(source), name: newName ?? `${source.name} (copy)` }, source.pendingReview);
  }

  /** Moves the agent to the trash; its sessions and versions stay. Idempotent. */
  async softDelete(id: string): Promise<Agent> {
    const at = nowIso();
    await this.db.execute({
      sql: 'UPDATE agents SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      args: [at, at, id],
    });
    return this.get(id);
  }

  /** Takes the agent out of the trash. Idempotent. */
  async restore(id: string): Promise<Agent> {
    await this.db.execute({
      sql: 'UPDATE agents SET deleted_at = NULL, updated_at = ? WHERE id = ? AND deleted_at IS NOT NULL',
      args: [nowIso(), id],
    });
    return this.get(id);
  }

  /**
   * Hard-deletes the agent and all its versions. Sessions are never destroyed silently (a
   * peer's hard-delete cascade lost users' sessions): if the agent has any, this is refused with
   * CONFLICT (detail.sessions = count) unless { cascade: true }, which deletes them too (their
   * log rows go with them; sub-sessions of other agents lose their parent link). The schema
   * backs this up: sessions reference agents ON DELETE RESTRICT.
   */
  async purge(id: string, opts: PurgeOptions = {}): Promise<PurgeResult> {
    if (!(await this.exists(id, { includeDeleted: true }))) throw notFound('agent', id);
    const rs = await this.db.execute({ sql: 'SELECT count(*) AS n FROM sessions WHERE agent_id = ?', args: [id] });
    const sessions = num(rs.rows[0]!, 'n');
    if (sessions > 0 && !opts.cascade) {
      throw new DataError('CONFLICT', `agent ${id} has ${sessions} session(s); delete them first or purge with cascade`, { id, sessions });
    }
    try {
      const results = await this.db.batch(
        [
          ...(opts.cascade ? [{ sql: 'DELETE FROM sessions WHERE agent_id = ?', args: [id] }] : []),
          { sql: 'DELETE FROM agents WHERE id = ?', args: [id] },
        ],
        'write',
      );
      return { sessionsDeleted: opts.cascade ? results[0]!.rowsAffected : 0 };
    } catch (e) {
      // A session created between the count and the delete trips ON DELETE RESTRICT.
      mapSqliteError(e, `could not purge agent ${id}`);
    }
  }

  /** Every saved version of the agent, newest first. NOT_FOUND when the agent does not exist. */
  async versions(agentId: string): Promise<AgentVersion[]> {
    const rs = await this.db.execute({ sql: `${VERSION_SELECT} WHERE agent_id = ? ORDER BY version DESC`, args: [agentId] });
    if (rs.rows.length === 0) throw notFound('agent', agentId);
    return rs.rows.map(rowToAgentVersion);
  }

  async getVersion(versionId: string): Promise<AgentVersion> {
    const rs = await this.db.execute({ sql: `${VERSION_SELECT} WHERE id = ?`, args: [versionId] });
    const row = rs.rows[0];
    if (!row) throw notFound('agent version', versionId);
    return rowToAgentVersion(row);
  }
}
