// Sessions (migrations/0002_sessions.sql): runs of an agent pinned to the agent version current
// when they were created, with per-session overrides, a guarded status lifecycle and usage totals.

import type { InArgs } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { SESSION_TRANSITIONS, type Page, type Session, type SessionOverrides, type SessionStatus, type SessionWithConfig } from '../../shared/domain.js';
import { DataError, mapSqliteError, notFound } from './errors.js';
import type { WriteHandle } from './handles.js';
import { SessionMarksRepository } from './session-marks.js';
import { DEFAULT_PAGE_SIZE, keysetPage, nowIso, num, str, whereClause } from './rows.js';
import {
  ENDED_STATUSES,
  SESSION_SELECT,
  SESSION_WITH_CONFIG_SELECT,
  SORT_COLUMNS,
  filterConditions,
  rowToSession,
  rowToSessionWithConfig,
  type SessionFilter,
  type SessionListOptions,
} from './sessions-sql.js';
import type { SessionCreateInput } from '../../shared/ipc/channels/sessions.js';
import type { SessionOutcome, UsageDelta } from '../../shared/ipc/schemas.js';
import { wellFormedJson } from '../db/well-formed-json.js';

export { ENDED_STATUSES, SESSION_SORTS, type SessionFilter, type SessionListOptions, type SessionSort } from './sessions-sql.js';

/**
 * What create takes: the contract's validated sessions.create input. An empty (or absent) name
 * gets one made from the goal.
 */
export type CreateSessionInput = SessionCreateInput;

/** An override patch: a key with a value overrides that field, null clears it (inherit again), absent leaves it. */
export type OverridePatch = { [K in keyof SessionOverrides]?: SessionOverrides[K] | null };

/**
 * The contract's sessions.update patch (validated there), with overrides as a patch, plus what
 * only the app itself writes (a run's result and error, parsed where they come from).
 */
export interface UpdateSessionInput extends SessionOutcome {
  name?: string;
  goal?: string | null;
  overrides?: OverridePatch;
  /** The caller's own key for the session (unique when set; null clears it). */
  externalId?: string | null;
}

/** Stored with the new status (validated where it comes from); entering 'running' clears a previous error unless one is given. */
export type TransitionOptions = SessionOutcome;

/** Figures to add; what is left out adds nothing. */
export type UsageDeltaInput = Partial<UsageDelta>;

function defaultName(goal: string | null): string {
  const first = goal?.split('\n').find((l) => l.trim())?.trim();
  if (!first) return 'New session';
  return first.length > 80 ? `${first.slice(0, 79)}…` : first;
}

const TRANSITION_RETRIES = 3;

export class SessionsRepository {
  /** Pins and tags (read back with every session here). */
  readonly marks: SessionMarksRepository;

  constructor(private readonly db: WriteHandle) {
    this.marks = new SessionMarksRepository(db);
  }

  /**
   * Creates an idle session pinned to the agent's current version. The pin is taken inside the
   * INSERT (INSERT … SELECT), so an agent edit racing with this call cannot mix versions.
   * NOT_FOUND for an unknown agent or parent; CONFLICT for an agent in the trash or an external
   * id already used.
   */
  async create(input: CreateSessionInput): Promise<SessionWithConfig> {
    const agentId = input.agentId;
    const goal = input.goal ?? null;
    const name = input.name?.trim() || defaultName(goal);
    // Null means "inherit" here as in an update's patch, so it is no override to store.
    const overrides = Object.fromEntries(Object.entries(input.overrides ?? {}).filter(([, v]) => v !== null && v !== undefined));
    const externalId = input.externalId ?? null;
    const parentSessionId = input.parentSessionId ?? null;
    if (parentSessionId) {
      const p = await this.db.execute({ sql: 'SELECT 1 FROM sessions WHERE id = ?', args: [parentSessionId] });
      if (p.rows.length === 0) throw notFound('parent session', parentSessionId);
    }
    const id = uuidv7();
    const at = nowIso();
    let inserted: number;
    try {
      const rs = await this.db.execute({
        sql: `INSERT INTO sessions (id, agent_id, agent_version_id, parent_session_id, name, goal, status, overrides, external_id, created_at, updated_at)
SELECT ?, a.id, v.id, ?, ?, ?, 'idle', ?, ?, ?, ?
FROM agents a JOIN agent_versions v ON v.agent_id = a.id AND v.version = a.version
WHERE a.id = ? AND a.deleted_at IS NULL`,
        args: [id, parentSessionId, name, goal, wellFormedJson(overrides), externalId, at, at, agentId],
      });
      inserted = rs.rowsAffected;
    } catch (e) {
      mapSqliteError(e, 'could not create session');
    }
    if (inserted === 0) {
      const a = await this.db.execute({ sql: 'SELECT deleted_at FROM agents WHERE id = ?', args: [agentId] });
      if (a.rows.length === 0) throw notFound('agent', agentId);
      throw new DataError('CONFLICT', `agent ${agentId} is deleted; restore it to start a session`, { agentId });
    }
    return this.get(id);
  }

  /** One keyset page; the query is the contract's (see SessionListOptions), defaults filled in. */
  async list(opts: SessionListOptions = {}): Promise<Page<Session>> {
    const sort = opts.sort ?? 'createdAt';
    const direction = opts.order ?? 'desc';
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    const { where, args } = filterConditions(opts, true);
    return keysetPage(this.db, {
      select: SESSION_SELECT,
      where,
      args,
      sort,
      column: SORT_COLUMNS[sort],
      alias: 's.',
      direction,
      limit,
      cursor: opts.cursor,
      map: rowToSession,
    });
  }

  async count(filter: SessionFilter = {}): Promise<number> {
    const { where, args } = filterConditions(filter);
    const rs = await this.db.execute({
      sql: `SELECT count(*) AS n FROM sessions s${whereClause(where)}`,
      args,
    });
    return num(rs.rows[0]!, 'n');
  }

  /**
   * The session with its agent's current name and its effective config: the pinned version's
   * config with this session's overrides applied field by field (see effective-config.ts).
   * Soft-deleted and archived sessions are returned too. NOT_FOUND when absent.
   */
  async get(id: string): Promise<SessionWithConfig> {
    const rs = await this.db.execute({ sql: `${SESSION_WITH_CONFIG_SELECT} WHERE s.id = ?`, args: [id] });
    const row = rs.rows[0];
    if (!row) throw notFound('session', id);
    return rowToSessionWithConfig(row);
  }

  /** The session an outside system knows by this id, or null. */
  async getByExternalId(externalId: string): Promise<SessionWithConfig | null> {
    const rs = await this.db.execute({ sql: `${SESSION_WITH_CONFIG_SELECT} WHERE s.external_id = ?`, args: [externalId] });
    const row = rs.rows[0];
    return row ? rowToSessionWithConfig(row) : null;
  }

  async update(id: string, patch: UpdateSessionInput): Promise<SessionWithConfig> {
    const sets: string[] = [];
    const args: Array<string | null> = [];
    if (patch.name !== undefined) {
      sets.push('name = ?');
      args.push(patch.name.trim());
    }
    if (patch.goal !== undefined) {
      sets.push('goal = ?');
      args.push(patch.goal);
    }
    if (patch.externalId !== undefined) {
      sets.push('external_id = ?');
      args.push(patch.externalId);
    }
    if (patch.result !== undefined) {
      sets.push('result = ?');
      args.push(patch.result);
    }
    if (patch.error !== undefined) {
      sets.push('error = ?');
      args.push(patch.error);
    }
    if (patch.overrides !== undefined) {
      // Applied in SQL, key by key, so concurrent patches of different keys both survive.
      let expr = 'overrides';
      const exprArgs: string[] = [];
      for (const [key, value] of Object.entries(patch.overrides)) {
        if (value === undefined) continue;
        if (value === null) {
          expr = `json_remove(${expr}, ?)`;
          exprArgs.push(`$.${key}`);
        } else {
          expr = `json_set(${expr}, ?, json(?))`;
          exprArgs.push(`$.${key}`, wellFormedJson(value));
        }
      }
      if (exprArgs.length > 0) {
        sets.push(`overrides = ${expr}`);
        args.push(...exprArgs);
      }
    }
    if (sets.length > 0) {
      let changed: number;
      try {
        const rs = await this.db.execute({ sql: `UPDATE sessions SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`, args: [...args, nowIso(), id] });
        changed = rs.rowsAffected;
      } catch (e) {
        mapSqliteError(e, `could not update session ${id}`);
      }
      if (changed === 0) throw notFound('session', id);
    }
    return this.get(id);
  }

  /**
   * Moves the session to another status if SESSION_TRANSITIONS allows it (CONFLICT otherwise;
   * a trigger refuses the same transitions for any other writer). Entering 'running' stamps
   * started_at the first time and clears ended_at; entering completed / failed / stopped /
   * interrupted stamps ended_at. The write is a compare-and-swap on the status read, so two
   * racing transitions cannot both win.
   */
  async transition(id: string, to: SessionStatus, opts: TransitionOptions = {}): Promise<SessionWithConfig> {
    const { error, result } = opts;
    for (let attempt = 0; ; attempt++) {
      const cur = await this.db.execute({ sql: 'SELECT status FROM sessions WHERE id = ?', args: [id] });
      const row = cur.rows[0];
      if (!row) throw notFound('session', id);
      const from = str(row, 'status') as SessionStatus;
      if (!SESSION_TRANSITIONS[from].includes(to)) {
        throw new DataError('CONFLICT', `session ${id} cannot go from ${from} to ${to}`, { id, from, to });
      }
      const at = nowIso();
      const sets = ['status = ?', 'updated_at = ?'];
      const args: InArgs = [to, at];
      if (to === 'running') {
        sets.push('started_at = coalesce(started_at, ?)', 'ended_at = NULL');
        args.push(at);
      } else if (ENDED_STATUSES.includes(to)) {
        // max(): a clock set back since the start must not trip CHECK(ended_at >= started_at).
        sets.push('ended_at = max(?, coalesce(started_at, ?))');
        args.push(at, at);
      }
      if (error !== undefined) {
        sets.push('error = ?');
        args.push(error);
      } else if (to === 'running') {
        sets.push('error = NULL');
      }
      if (result !== undefined) {
        sets.push('result = ?');
        args.push(result);
      }
      let changed: number;
      try {
        const rs = await this.db.execute({ sql: `UPDATE sessions SET ${sets.join(', ')} WHERE id = ? AND status = ?`, args: [...args, id, from] });
        changed = rs.rowsAffected;
      } catch (e) {
        mapSqliteError(e, `could not move session ${id} to ${to}`);
      }
      if (changed === 1) return this.get(id);
      if (attempt + 1 >= TRANSITION_RETRIES) {
        throw new DataError('CONFLICT', `session ${id} changed status while moving to ${to}`, { id, to });
      }
    }
  }

  /** Adds to the token and cost totals in one atomic UPDATE (no read-modify-write). */
  async addUsage(id: string, usage: UsageDeltaInput): Promise<void> {
    const u: UsageDelta = { tokensIn: 0, tokensOut: 0, tokensReasoning: 0, tokensCached: 0, costUsd: 0, ...usage };
    const rs = await this.db.execute({
      sql: `UPDATE sessions SET tokens_in = tokens_in + ?, tokens_out = tokens_out + ?, tokens_reasoning = tokens_reasoning + ?,
tokens_cached = tokens_cached + ?, cost_usd = cost_usd + ?, updated_at = ? WHERE id = ?`,
      args: [u.tokensIn, u.tokensOut, u.tokensReasoning, u.tokensCached, u.costUsd, nowIso(), id],
    });
    if (rs.rowsAffected === 0) throw notFound('session', id);
  }

  /** Idempotent. */
  archive(id: string): Promise<SessionWithConfig> {
    return this.stamp(id, 'archived_at', true);
  }

  unarchive(id: string): Promise<SessionWithConfig> {
    return this.stamp(id, 'archived_at', false);
  }

  /** Moves the session to the trash (kept with its logs until delete()). Idempotent. */
  softDelete(id: string): Promise<SessionWithConfig> {
    return this.stamp(id, 'deleted_at', true);
  }

  restore(id: string): Promise<SessionWithConfig> {
    return this.stamp(id, 'deleted_at', false);
  }

  /** Hard delete: log rows go with it (ON DELETE CASCADE); sub-sessions keep living, unparented. */
  async delete(id: string): Promise<void> {
    const rs = await this.db.execute({ sql: 'DELETE FROM sessions WHERE id = ?', args: [id] });
    if (rs.rowsAffected === 0) throw notFound('session', id);
  }

  /**
   * Run at open: a session left 'running' by a process that died is 'interrupted'. Sessions
   * 'waiting_for_user_input' stay as they are: the pending question or approval is in the
   * database and still answerable after a restart. Returns how many sessions were interrupted.
   */
  async markRunningAsInterrupted(): Promise<number> {
    const at = nowIso();
    const rs = await this.db.execute({
      sql: `UPDATE sessions SET status = 'interrupted', ended_at = max(?, coalesce(started_at, ?)), updated_at = ? WHERE status = 'running'`,
      args: [at, at, at],
    });
    return rs.rowsAffected;
  }

  private async stamp(id: string, column: 'archived_at' | 'deleted_at', on: boolean): Promise<SessionWithConfig> {
    const at = nowIso();
    // Column names come from the literal union above, never from input.
    await this.db.execute(
      on
        ? { sql: `UPDATE sessions SET ${column} = ?, updated_at = ? WHERE id = ? AND ${column} IS NULL`, args: [at, at, id] }
        : { sql: `UPDATE sessions SET ${column} = NULL, updated_at = ? WHERE id = ? AND ${column} IS NOT NULL`, args: [at, id] },
    );
    return this.get(id);
  }
}
