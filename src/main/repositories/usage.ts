// Usage aggregates for the dashboard: tokens and cost of the sessions created in a date range,
// by day, agent, model and provider. Every breakdown is built so it adds up to the sessions'
// own totals (sessions.tokens_*, the figures the session list and header show): per-call usage
// comes from the model calls in the log, summed per session, model and provider in
// session_model_usage (migration 0130), and whatever a session's total holds beyond its calls
// (imported sessions, say) is its own "not recorded per call" row.

import type { UsageFigures, UsageReport, UsageRow } from '../../shared/ipc/channels/trace.js';
import type { ReadHandle } from './handles.js';
import { num, str } from './rows.js';
import type { Row } from '@libsql/client';

export interface UsageRange {
  /** First day included, YYYY-MM-DD (UTC). */
  from?: string | undefined;
  /** Last day included, YYYY-MM-DD (UTC). */
  to?: string | undefined;
}

export const NOT_PER_CALL = 'not recorded per call';

/**
 * The sessions created in [from, to) outside the trash (ISO text compares in order). Only the
 * bounds given are written, so a range is one range of the created_at index (a bound written as
 * `?1 IS NULL OR …` cannot use it), and `+deleted_at` keeps the planner off the trash index,
 * which would read every live session.
 */
function inRange(from: string | null, to: string | null): { sql: string; args: string[] } {
  const where = ['+deleted_at IS NULL'];
  const args: string[] = [];
  if (from !== null) {
    where.push('created_at >= ?');
    args.push(from);
  }
  if (to !== null) {
    where.push('created_at < ?');
    args.push(to);
  }
  return {
    sql: `SELECT id, agent_id, created_at, tokens_in, tokens_out, tokens_reasoning, cost_usd FROM sessions WHERE ${where.join(' AND ')}`,
    args,
  };
}

/** Model calls' usage per session, model and provider: one index range of session_model_usage
 * (migration 0130, kept by triggers on log_nodes) per session in range, never a log node. */
const CALLS = `SELECT u.session_id AS session_id, u.model AS model, u.provider AS provider,
    u.tokens_in AS ti, u.tokens_out AS tout, u.tokens_reasoning AS tr, u.cost_usd AS c
  FROM s CROSS JOIN session_model_usage u ON u.session_id = s.id`;

/** Sum of one column of a session's rows in session_model_usage: a range of its primary key. */
const callSum = (col: string) => `(SELECT coalesce(sum(u.${col}), 0) FROM session_model_usage u WHERE u.session_id = s.id)`;

/** Per session, what its calls do not account for (never below zero). */
const REMAINDER = `SELECT s.id AS session_id, max(0, s.tokens_in - ${callSum('tokens_in')}) AS ti, max(0, s.tokens_out - ${callSum('tokens_out')}) AS tout,
    max(0, s.tokens_reasoning - ${callSum('tokens_reasoning')}) AS tr, max(0, s.cost_usd - ${callSum('cost_usd')}) AS c
  FROM s`;

const FIGURES = 'coalesce(sum(ti), 0) AS ti, coalesce(sum(tout), 0) AS tout, coalesce(sum(tr), 0) AS tr, coalesce(sum(c), 0) AS c, count(DISTINCT session_id) AS n';

function figures(row: Row | undefined): UsageFigures {
  return {
    tokensIn: row ? num(row, 'ti') : 0,
    tokensOut: row ? num(row, 'tout') : 0,
    tokensReasoning: row ? num(row, 'tr') : 0,
    costUsd: row ? num(row, 'c') : 0,
    sessions: row ? num(row, 'n') : 0,
  };
}

function rowsOf(rows: Row[], label: (key: string, row: Row) => string = (k) => k): UsageRow[] {
  return rows.map((r) => {
    const key = str(r, 'k');
    return { key, label: label(key, r), ...figures(r) };
  });
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

export class UsageRepository {
  readonly #db: ReadHandle;

  constructor(db: ReadHandle) {
    this.#db = db;
  }

  async report(range: UsageRange = {}): Promise<UsageReport> {
    const { sql: inRangeSql, args } = inRange(range.from ? `${range.from}T00:00:00.000Z` : null, range.to ? nextDay(range.to) : null);
    const perSession = `WITH s AS MATERIALIZED (${inRangeSql})`;
    const sessionFigures =
      'coalesce(sum(tokens_in), 0) AS ti, coalesce(sum(tokens_out), 0) AS tout, coalesce(sum(tokens_reasoning), 0) AS tr, coalesce(sum(cost_usd), 0) AS c, count(*) AS n';
    // By model and by provider in one statement: the sessions, their calls and remainders are
    // read once (MATERIALIZED), then grouped both ways.
    const parts = `WITH s AS MATERIALIZED (${inRangeSql}), calls AS MATERIALIZED (${CALLS}), rest AS (${REMAINDER}),
      parts AS MATERIALIZED (SELECT session_id, model, provider, ti, tout, tr, c FROM calls
                UNION ALL SELECT session_id, '${NOT_PER_CALL}', '${NOT_PER_CALL}', ti, tout, tr, c FROM rest WHERE ti > 0 OR tout > 0 OR c > 0)
      SELECT 'model' AS dim, model AS k, ${FIGURES}, coalesce(sum(ti + tout), 0) AS tt FROM parts GROUP BY model
      UNION ALL SELECT 'provider' AS dim, provider AS k, ${FIGURES}, coalesce(sum(ti + tout), 0) AS tt FROM parts GROUP BY provider
      ORDER BY dim, c DESC, tt DESC, k`;
    const [totals, byDay, byAgent, byParts] = await Promise.all([
      this.#db.execute({ sql: `${perSession} SELECT ${sessionFigures} FROM s`, args }),
      this.#db.execute({ sql: `${perSession} SELECT substr(created_at, 1, 10) AS k, ${sessionFigures} FROM s GROUP BY k ORDER BY k`, args }),
      this.#db.execute({
        sql: `${perSession} SELECT s.agent_id AS k, a.name AS name, ${sessionFigures} FROM s JOIN agents a ON a.id = s.agent_id GROUP BY s.agent_id ORDER BY c DESC, ti + tout DESC, name`,
        args,
      }),
      this.#db.execute({ sql: parts, args }),
    ]);
    return {
      totals: figures(totals.rows[0]),
      byDay: rowsOf(byDay.rows),
      byAgent: rowsOf(byAgent.rows, (_k, r) => str(r, 'name')),
      byModel: rowsOf(byParts.rows.filter((r) => str(r, 'dim') === 'model'), (k) => k || 'unknown model'),
      byProvider: rowsOf(byParts.rows.filter((r) => str(r, 'dim') === 'provider'), (k) => k || 'unknown provider'),
    };
  }
}
