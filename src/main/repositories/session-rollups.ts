// Aggregates over sessions for lists and usage views: session counts per agent and token/cost
// totals by agent and day. Both read one narrow index entry per session (migration 0041) and
// never a log node, so they stay flat as logs grow; session-rollups.test.ts checks the plans.

import type { AgentSessionCount } from '../../shared/ipc/channels/agents.js';
import type { ReadHandle } from './handles.js';
import { num, str } from './rows.js';

export type { AgentSessionCount };

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
  /** The same for the listed agents only (a JSON array of ids): one index range per agent, zeros included. */
  countsOf: `SELECT k.value AS agent_id,
               (SELECT count(*) FROM sessions s WHERE s.agent_id = k.value AND s.deleted_at IS NULL) AS sessions
             FROM json_each(?) k`,
  daily: `SELECT agent_id, substr(created_at, 1, 10) AS day, count(*) AS sessions, sum(tokens_in) AS tokens_in,
            sum(tokens_out) AS tokens_out, sum(tokens_reasoning) AS tokens_reasoning, sum(tokens_cached) AS tokens_cached,
            total(cost_usd) AS cost_usd
          FROM sessions WHERE created_at >= ? AND created_at < ? GROUP BY agent_id, day`,
};

/**
 * Live sessions per agent: of every agent that has some, or of the listed agents only (each
 * listed once, with 0 when it has none), so a page of the agent list reads its own agents' counts.
 */
export async function sessionCountsByAgent(db: ReadHandle, agentIds?: readonly string[]): Promise<AgentSessionCount[]> {
  const rs = await db.execute(agentIds === undefined ? ROLLUP_SQL.counts : { sql: ROLLUP_SQL.countsOf, args: [JSON.stringify([...new Set(agentIds)])] });
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
