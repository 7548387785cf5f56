// Aggregates over sessions for lists and usage views: session counts per agent and token/cost
// totals by agent and day. Both read one narrow index entry per session (migration 0041) and
// never a log node, so they stay flat as logs grow; session-rollups.test.ts checks the plans.

import type { ReadHandle } from './handles.js';
import { num, str } from './rows.js';

export interface AgentSessionCount {
  agentId: string;
  /** Sessions outside the trash (archived ones included). */
  sessions: number;
}

export interface DailyUsage {
  agentId: string;
  /** UTC day the sessions were created, YYYY-MM-DD. */
  day: string;
  sessions: number;
  tokensIn: number;
  tokensOut: number;
  tokensReasoning: number;
  tokensCached: number;
  costUsd: number;
}

export const ROLLUP_SQL = {
  counts: `SELECT agent_id, count(*) AS sessions FROM sessions WHERE +deleted_at IS NULL GROUP BY agent_id`,
  daily: `SELECT agent_id, substr(created_at, 1, 10) AS day, count(*) AS sessions, sum(tokens_in) AS tokens_in,
            sum(tokens_out) AS tokens_out, sum(tokens_reasoning) AS tokens_reasoning, sum(tokens_cached) AS tokens_cached,
            total(cost_usd) AS cost_usd
          FROM sessions WHERE created_at >= ? AND created_at < ? GROUP BY agent_id, day`,
};

export async function sessionCountsByAgent(db: ReadHandle): Promise<AgentSessionCount[]> {
  const rs = await db.execute(ROLLUP_SQL.counts);
  return rs.rows.map((r) => ({ agentId: str(r, 'agent_id'), sessions: num(r, 'sessions') }));
}

/** Usage by agent and day for sessions created in [from, to) (ISO times). */
export async function dailyUsage(db: ReadHandle, from: string, to: string): Promise<DailyUsage[]> {
  const rs = await db.execute({ sql: ROLLUP_SQL.daily, args: [from, to] });
  return rs.rows.map((r) => ({
    agentId: str(r, 'agent_id'),
    day: str(r, 'day'),
    sessions: num(r, 'sessions'),
    tokensIn: num(r, 'tokens_in'),
    tokensOut: num(r, 'tokens_out'),
    tokensReasoning: num(r, 'tokens_reasoning'),
    tokensCached: num(r, 'tokens_cached'),
    costUsd: num(r, 'cost_usd'),
  }));
}
