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

/** The sessions in range; ?1 and ?2 bound the creation time (ISO text compares in order). */
const IN_RANGE = `SELECT id, agent_id, created_at, tokens_in, tokens_out, tokens_reasoning, cost_usd FROM sessions
  WHERE deleted_at IS NULL AND (?1 IS NULL OR created_at >= ?1) AND (?2 IS NULL OR created_at < ?2)`;

/** Model calls' usage per session, model and provider: one index range of session_model_usage
 * (migration 0130, kept by triggers on log_nodes) per session in range, never a log node. */
const CALLS = `SELECT u.session_id AS session_id, u.model AS model, u.provider AS provider,
    u.tokens_in AS ti, u.tokens_out AS tout, u.tokens_reasoning AS tr, u.cost_usd AS c
  FROM s CROSS JOIN session_model_usage u ON u.session_id = s.id`;

/** Per session, what its calls do not account for (never below zero). */
const REMAINDER = `SELECT s.id AS session_id, max(0, s.tokens_in - coalesce(sum(c.ti), 0)) AS ti, max(0, s.tokens_out - coalesce(sum(c.tout), 0)) AS tout,
    max(0, s.tokens_reasoning - coalesce(sum(c.tr), 0)) AS tr, max(0, s.cost_usd - coalesce(sum(c.c), 0)) AS c
  FROM s LEFT JOIN calls c ON c.session_id = s.id GROUP BY s.id`;

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
    const args = [range.from ? `${range.from}T00:00:00.000Z` : null, range.to ? nextDay(range.to) : null];
    const withS = `WITH s AS (${IN_RANGE}), calls AS (${CALLS}), rest AS (${REMAINDER}),
      parts AS (SELECT session_id, model, provider, ti, tout, tr, c FROM calls
                UNION ALL SELECT session_id, '${NOT_PER_CALL}', '${NOT_PER_CALL}', ti, tout, tr, c FROM rest WHERE ti > 0 OR tout > 0 OR c > 0)`;
    const perSession = `WITH s AS (${IN_RANGE})`;
    const sessionFigures =
      'coalesce(sum(tokens_in), 0) AS ti, coalesce(sum(tokens_out), 0) AS tout, coalesce(sum(tokens_reasoning), 0) AS tr, coalesce(sum(cost_usd), 0) AS c, count(*) AS n';
    const [totals, byDay, byAgent, byModel, byProvider] = await Promise.all([
      this.#db.execute({ sql: `${perSession} SELECT ${sessionFigures} FROM s`, args }),
      this.#db.execute({ sql: `${perSession} SELECT substr(created_at, 1, 10) AS k, ${sessionFigures} FROM s GROUP BY k ORDER BY k`, args }),
      this.#db.execute({
        sql: `${perSession} SELECT s.agent_id AS k, a.name AS name, ${sessionFigures} FROM s JOIN agents a ON a.id = s.agent_id GROUP BY s.agent_id ORDER BY c DESC, ti + tout DESC, name`,
        args,
      }),
      this.#db.execute({ sql: `${withS} SELECT model AS k, ${FIGURES} FROM parts GROUP BY model ORDER BY c DESC, ti + tout DESC, k`, args }),
      this.#db.execute({ sql: `${withS} SELECT provider AS k, ${FIGURES} FROM parts GROUP BY provider ORDER BY c DESC, ti + tout DESC, k`, args }),
    ]);
    return {
      totals: figures(totals.rows[0]),
      byDay: rowsOf(byDay.rows),
      byAgent: rowsOf(byAgent.rows, (_k, r) => str(r, 'name')),
      byModel: rowsOf(byModel.rows, (k) => k || 'unknown model'),
      byProvider: rowsOf(byProvider.rows, (k) => k || 'unknown provider'),
    };
  }
}
