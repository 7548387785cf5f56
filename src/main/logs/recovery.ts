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
const RECOVER_NODES_SQL = `UPDATE log_nodes AS t SET
    status = 'interrupted',
    ${assembleOnLeaveStreamingSql('NULL', 'NULL')},
    ended_at = coalesce(t.ended_at, strftime('%Y-%m-%dT%H:%M:%fZ', t.started_at,
      '+' || (coalesce((SELECT max(c.at_ms) FROM log_chunks c WHERE c.node_id = t.id), 0) / 1000.0) || ' seconds')),
    metadata = json_set(t.metadata, '$.interruptedFrom', t.status)
  WHERE t.status IN ('streaming', 'running', 'pending_approval', 'approved')
  RETURNING id`;

export async function recoverInterrupted(client: Client): Promise<RecoveryResult> {
  const tx = await client.transaction('write');
  let nodes: number;
  try {
    const rs = await tx.execute(RECOVER_NODES_SQL);
    nodes = rs.rows.length;
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
