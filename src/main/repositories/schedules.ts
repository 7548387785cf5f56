// Schedule policy and scheduled-run records (migration 0011). The claim is the heart of it: one
// write transaction checks that the agent's previous scheduled run is not still going and
// inserts the (agent, scheduled time) row; whoever's INSERT commits runs that time, nobody else
// ever does (restart, crash, a second Paddock on the same database).
import type { Client, Row } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import type { MissedPolicy, SchedulePolicy, ScheduleRun, ScheduleRunStatus } from '../../shared/ipc/channels/schedules.js';
import { mapSqliteError } from './errors.js';
import { bool, num, numOrNull, str, strOrNull } from './rows.js';

export const DEFAULT_POLICY: Omit<SchedulePolicy, 'agentId'> = { missedPolicy: 'skip', catchupLimit: 3, timezone: null, paused: false };

export interface ScheduleState extends SchedulePolicy {
  /** The pattern `since` belongs to. */
  pattern: string | null;
  /** Scheduled times up to and including this are dealt with. */
  since: string | null;
}

export type ClaimResult =
  | { kind: 'claimed'; runId: string }
  /** Another process (or an earlier fire) already holds this time. */
  | { kind: 'taken' }
  /** The previous scheduled run is still going; the skip is recorded. */
  | { kind: 'overlap'; runningSessionId: string | null };

function toState(r: Row): ScheduleState {
  return {
    agentId: str(r, 'agent_id'),
    missedPolicy: str(r, 'missed_policy') as MissedPolicy,
    catchupLimit: num(r, 'catchup_limit'),
    timezone: strOrNull(r, 'timezone'),
    paused: bool(r, 'paused'),
    pattern: strOrNull(r, 'pattern'),
    since: strOrNull(r, 'since'),
  };
}

function toRun(r: Row): ScheduleRun {
  const sessionStatus = strOrNull(r, 'session_status');
  return {
    id: str(r, 'id'),
    agentId: str(r, 'agent_id'),
    scheduledAt: str(r, 'scheduled_at'),
    status: str(r, 'status') as ScheduleRunStatus,
    sessionId: strOrNull(r, 'session_id'),
    note: strOrNull(r, 'note'),
    claimedAt: str(r, 'claimed_at'),
    session:
      sessionStatus === null
        ? null
        : {
            status: sessionStatus as NonNullable<ScheduleRun['session']>['status'],
            startedAt: strOrNull(r, 'started_at'),
            endedAt: strOrNull(r, 'ended_at'),
            tokens: (numOrNull(r, 'tokens_in') ?? 0) + (numOrNull(r, 'tokens_out') ?? 0),
            costUsd: numOrNull(r, 'cost_usd') ?? 0,
            error: strOrNull(r, 'error'),
          },
  };
}

/** The agent's latest started scheduled run whose session is still going, or a fresh claim. */
const RUNNING_SQL = `SELECT r.session_id FROM schedule_runs r LEFT JOIN sessions s ON s.id = r.session_id
  WHERE r.agent_id = ? AND (
    (r.status = 'started' AND s.status IN ('running', 'waiting_for_user_input')) OR
    (r.status = 'claimed' AND r.claimed_at > ?)
  ) ORDER BY r.scheduled_at DESC LIMIT 1`;

export class SchedulesRepository {
  constructor(private readonly client: Client) {}

  async policy(agentId: string): Promise<SchedulePolicy> {
    const r = await this.client.execute({ sql: 'SELECT * FROM agent_schedules WHERE agent_id = ?', args: [agentId] });
    const row = r.rows[0];
    if (!row) return { agentId, ...DEFAULT_POLICY };
    const { pattern: _p, since: _s, ...policy } = toState(row);
    return policy;
  }

  async savePolicy(p: SchedulePolicy, now: string): Promise<SchedulePolicy> {
    try {
      // Resuming starts afresh: what fell due while paused was not "missed", it was paused.
      await this.client.execute({
        sql: `INSERT INTO agent_schedules (agent_id, missed_policy, catchup_limit, timezone, paused, pattern, since, updated_at)
              VALUES (?, ?, ?, ?, ?, NULL, ?, ?)
              ON CONFLICT (agent_id) DO UPDATE SET missed_policy = excluded.missed_policy, catchup_limit = excluded.catchup_limit,
                timezone = excluded.timezone, paused = excluded.paused, updated_at = excluded.updated_at,
                since = CASE WHEN agent_schedules.paused = 1 AND excluded.paused = 0 THEN excluded.since
                             WHEN agent_schedules.timezone IS NOT excluded.timezone THEN excluded.since
                             ELSE agent_schedules.since END`,
        args: [p.agentId, p.missedPolicy, p.catchupLimit, p.timezone, p.paused ? 1 : 0, now, now],
      });
    } catch (err) {
      mapSqliteError(err, 'saving the schedule policy');
    }
    return this.policy(p.agentId);
  }

  /** The agent's state for `pattern`; a new or changed pattern starts from `now`. */
  async state(agentId: string, pattern: string, now: string): Promise<ScheduleState> {
    await this.client.execute({
      sql: `INSERT INTO agent_schedules (agent_id, pattern, since, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (agent_id) DO UPDATE SET pattern = excluded.pattern, since = excluded.since, updated_at = excluded.updated_at
            WHERE agent_schedules.pattern IS NOT excluded.pattern OR agent_schedules.since IS NULL`,
      args: [agentId, pattern, now, now],
    });
    const r = await this.client.execute({ sql: 'SELECT * FROM agent_schedules WHERE agent_id = ?', args: [agentId] });
    return toState(r.rows[0]!);
  }

  /**
   * Claims `scheduledAt` for this agent in one write transaction: a single batch, so no other
   * call of this process can interleave (the driver is synchronous) and another process waits
   * for the lock. `freshSince`: a claim newer than this without a session is another process
   * starting a run right now (an overlap).
   */
  async claim(agentId: string, scheduledAt: string, opts: { instanceId: string; now: string; freshSince: string; checkOverlap: boolean }): Promise<ClaimResult> {
    const id = uuidv7();
    const running = opts.checkOverlap ? `EXISTS (${RUNNING_SQL})` : '0';
    const runningArgs = opts.checkOverlap ? [agentId, opts.freshSince] : [];
    const [inserted, , row] = await this.client.batch(
      [
        {
          sql: `INSERT INTO schedule_runs (id, agent_id, scheduled_at, status, instance_id, claimed_at, note)
                SELECT ?, ?, ?, CASE WHEN ${running} THEN 'skipped' ELSE 'claimed' END, ?, ?,
                       CASE WHEN ${running} THEN 'The previous scheduled run was still going.' END
                WHERE NOT EXISTS (SELECT 1 FROM schedule_runs WHERE agent_id = ? AND scheduled_at = ?)`,
          args: [id, agentId, scheduledAt, ...runningArgs, opts.instanceId, opts.now, ...runningArgs, agentId, scheduledAt],
        },
        {
          sql: `UPDATE agent_schedules SET since = ? WHERE agent_id = ? AND (since IS NULL OR since < ?)
                AND EXISTS (SELECT 1 FROM schedule_runs WHERE id = ? AND status = 'claimed')`,
          args: [scheduledAt, agentId, scheduledAt, id],
        },
        { sql: `SELECT status FROM schedule_runs WHERE id = ?`, args: [id] },
      ],
      'write',
    );
    if (inserted!.rowsAffected === 0) return { kind: 'taken' };
    if (str(row!.rows[0]!, 'status') === 'claimed') return { kind: 'claimed', runId: id };
    const r = await this.client.execute({ sql: RUNNING_SQL, args: [agentId, opts.freshSince] });
    return { kind: 'overlap', runningSessionId: r.rows[0] ? strOrNull(r.rows[0], 'session_id') : null };
  }

  /** Records scheduled times that will not run (missed while closed, or beyond the catch-up bound). */
  async recordMissed(agentId: string, times: readonly string[], opts: { instanceId: string; now: string; note: string }): Promise<number> {
    if (times.length === 0) return 0;
    const results = await this.client.batch(
      [
        ...times.map((t) => ({
          sql: `INSERT INTO schedule_runs (id, agent_id, scheduled_at, status, instance_id, claimed_at, note) VALUES (?, ?, ?, 'missed', ?, ?, ?) ON CONFLICT DO NOTHING`,
          args: [uuidv7(), agentId, t, opts.instanceId, opts.now, opts.note],
        })),
        { sql: 'UPDATE agent_schedules SET since = ? WHERE agent_id = ? AND (since IS NULL OR since < ?)', args: [times.at(-1)!, agentId, times.at(-1)!] },
      ],
      'write',
    );
    return results.slice(0, times.length).reduce((n, r) => n + r.rowsAffected, 0);
  }

  /** A fire skipped because the previous run was still going (no-op when the time is recorded). */
  async recordSkipped(agentId: string, scheduledAt: string, opts: { instanceId: string; now: string }): Promise<void> {
    await this.client.execute({
      sql: `INSERT INTO schedule_runs (id, agent_id, scheduled_at, status, instance_id, claimed_at, note) VALUES (?, ?, ?, 'skipped', ?, ?, ?) ON CONFLICT DO NOTHING`,
      args: [uuidv7(), agentId, scheduledAt, opts.instanceId, opts.now, 'The previous scheduled run was still going.'],
    });
  }

  async markStarted(runId: string, sessionId: string): Promise<void> {
    await this.client.execute({ sql: `UPDATE schedule_runs SET status = 'started', session_id = ? WHERE id = ?`, args: [sessionId, runId] });
  }

  async markFailed(runId: string, note: string, sessionId: string | null): Promise<void> {
    await this.client.execute({ sql: `UPDATE schedule_runs SET status = 'failed', note = ?, session_id = coalesce(?, session_id) WHERE id = ?`, args: [note, sessionId, runId] });
  }

  /** Claims older than `before` that never got a session: their process died mid-claim. */
  async abandonStale(before: string): Promise<number> {
    const r = await this.client.execute({
      sql: `UPDATE schedule_runs SET status = 'abandoned', note = 'Paddock stopped between claiming this run and starting it; it is not run again.'
            WHERE status = 'claimed' AND session_id IS NULL AND claimed_at < ?`,
      args: [before],
    });
    return r.rowsAffected;
  }

  /** The agent whose scheduled run this session is, or null when no scheduled run made it. */
  async agentOfRun(sessionId: string): Promise<string | null> {
    const r = await this.client.execute({ sql: 'SELECT agent_id FROM schedule_runs WHERE session_id = ? LIMIT 1', args: [sessionId] });
    return r.rows[0] ? str(r.rows[0], 'agent_id') : null;
  }

  /** Whether this session was started by the scheduler (schedule budgets apply to it). */
  async isScheduledSession(sessionId: string): Promise<boolean> {
    const r = await this.client.execute({ sql: 'SELECT 1 FROM schedule_runs WHERE session_id = ? LIMIT 1', args: [sessionId] });
    return r.rows.length > 0;
  }

  /** Newest first, with the session's outcome, time and spend. */
  async history(agentId: string, limit: number): Promise<ScheduleRun[]> {
    const r = await this.client.execute({
      sql: `SELECT r.*, s.status AS session_status, s.started_at, s.ended_at, s.tokens_in, s.tokens_out, s.cost_usd, s.error
            FROM schedule_runs r LEFT JOIN sessions s ON s.id = r.session_id
            WHERE r.agent_id = ? ORDER BY r.scheduled_at DESC LIMIT ?`,
      args: [agentId, limit],
    });
    return r.rows.map(toRun);
  }
}
