// Start-up sweep: whatever was still open when the last process died is 'interrupted', with its
// partial text kept. Run it once at open, by the process that owns the database (the app), and
// before any LogWriter starts: it cannot tell a dead stream from a live one in another process.

import type { Client } from '@libsql/client';
import { SessionsRepository } from '../repositories/sessions.js';
import { assembleOnLeaveStreamingSql } from './rows.js';
import { COMPACT_DELETE_SQL, COMPACT_INSERT_SQL } from './spans.js';

export interface RecoveryResult {
  /** Log nodes turned 'interrupted'. */
  nodes: number;
  /** Sessions turned from 'running' to 'interrupted'. */
  sessions: number;
}

// Open = 'streaming' (text was arriving), 'running' (a tool was executing) and the approval
// states 'pending_approval' / 'approved': after a restart no one is waiting on that prompt or
// about to run that tool, so showing them as live would be a lie. metadata.interruptedFrom keeps
// what the node was doing. ended_at = the last sign of life: the last chunk, else the start.
// The IN list matches the partial index log_nodes_open exactly, so the sweep reads only open rows.
const REPORTED_USAGE = `(t.kind = 'assistant_message' AND (t.tokens_in > 0 OR t.tokens_out > 0))`;
const RECOVER_NODES_SQL = `UPDATE log_nodes AS t SET
    status = 'interrupted',
    ${assembleOnLeaveStreamingSql('NULL', 'NULL')},
    ended_at = coalesce(t.ended_at, strftime('%Y-%m-%dT%H:%M:%fZ', t.started_at,
      '+' || (coalesce((SELECT max(c.at_ms) FROM log_chunks c WHERE c.node_id = t.id), 0) / 1000.0) || ' seconds')),
    metadata = CASE WHEN ${REPORTED_USAGE}
      THEN json_set(t.metadata, '$.interruptedFrom', t.status, '$.usagePartial', json('true'))
      ELSE json_set(t.metadata, '$.interruptedFrom', t.status) END
  WHERE t.status IN ('streaming', 'running', 'pending_approval', 'approved')
  RETURNING id, session_id, (kind = 'assistant_message' AND (tokens_in > 0 OR tokens_out > 0)) AS reported, tokens_in, tokens_out, tokens_reasoning, cost_usd`;

// A model call's counts the provider reported before the process died (LogWriter.noteUsage) are
// on its node but not yet in its session's totals, which a call adds only when it ends.
const ADD_SESSION_USAGE_SQL = `UPDATE sessions AS s SET
    tokens_in = s.tokens_in + (u.value->>'i'), tokens_out = s.tokens_out + (u.value->>'o'),
    tokens_reasoning = s.tokens_reasoning + (u.value->>'r'), cost_usd = s.cost_usd + (u.value->>'c'),
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM json_each(?) AS u WHERE s.id = u.value->>'s'`;

interface SessionUsage {
  s: string;
  i: number;
  o: number;
  r: number;
  c: number;
}

function reportedUsageBySession(rows: readonly Record<string, unknown>[]): SessionUsage[] {
  const by = new Map<string, SessionUsage>();
  for (const r of rows) {
    if (Number(r.reported) !== 1) continue;
    const s = String(r.session_id);
    const u = by.get(s) ?? { s, i: 0, o: 0, r: 0, c: 0 };
    u.i += Number(r.tokens_in ?? 0);
    u.o += Number(r.tokens_out ?? 0);
    u.r += Number(r.tokens_reasoning ?? 0);
    u.c += Number(r.cost_usd ?? 0);
    by.set(s, u);
  }
  return [...by.values()];
}

export async function recoverInterrupted(client: Client): Promise<RecoveryResult> {
  const tx = await client.transaction('write');
  let nodes: number;
  try {
    const rs = await tx.execute(RECOVER_NODES_SQL);
    nodes = rs.rows.length;
    const usage = reportedUsageBySession(rs.rows);
    if (usage.length > 0) await tx.execute({ sql: ADD_SESSION_USAGE_SQL, args: [JSON.stringify(usage)] });
    // Their streamed text is now in the node: keep it once (spans.ts).
    if (rs.rows.length > 0) {
      const ids = JSON.stringify(rs.rows.map((r) => String(r.id)));
      await tx.batch([{ sql: COMPACT_INSERT_SQL, args: [ids] }, { sql: COMPACT_DELETE_SQL, args: [ids] }]);
    }
    await tx.commit();
  } finally {
    tx.close();
  }
  const sessions = await new SessionsRepository(client).markRunningAsInterrupted();
  return { nodes, sessions };
}
