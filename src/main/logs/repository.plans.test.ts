import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryPlan } from '../repositories/testing.js';
import { openLogsTestDb, type LogsTestDb } from './testing.js';

let t: LogsTestDb;

beforeEach(async () => {
  t = await openLogsTestDb();
  await t.newSession();
});

afterEach(async () => {
  await t.cleanup();
});

describe('query plans of the hot log queries', () => {
  it('use their indexes', async () => {
    const plan = async (sql: string, args: unknown[]): Promise<string> => (await queryPlan(t.client, sql, args)).join(' | ');
    expect(await plan('SELECT * FROM log_nodes n WHERE n.session_id = ? AND n.path > ? ORDER BY n.path LIMIT 10', ['s', ''])).toMatch(
      /SEARCH n USING INDEX log_nodes_session_id_path \(session_id=\? AND path>\?\)/,
    );
    expect(await plan('SELECT * FROM log_nodes n WHERE n.parent_id = ? AND n.seq > ? ORDER BY n.seq', ['p', -1])).toMatch(
      /USING INDEX log_nodes_parent_id_seq \(parent_id=\? AND seq>\?\)/,
    );
    expect(await plan('SELECT * FROM log_nodes n WHERE n.session_id = ? AND n.parent_id IS NULL AND n.seq > ? ORDER BY n.seq', ['s', -1])).toMatch(
      /USING INDEX log_nodes_roots/,
    );
    expect(await plan('SELECT * FROM log_nodes n WHERE n.session_id = ? ORDER BY n.started_at DESC, n.n DESC LIMIT 5', ['s'])).toMatch(
      /USING INDEX log_nodes_session_id_started_at/,
    );
    expect(await plan('SELECT count(*) FROM log_nodes WHERE session_id = ?', ['s'])).toMatch(/USING COVERING INDEX/);
    expect(await plan("SELECT id FROM log_nodes WHERE status IN ('streaming', 'running', 'pending_approval', 'approved')", [])).toMatch(
      /USING INDEX log_nodes_open/,
    );
    expect(await plan('SELECT * FROM log_chunks WHERE node_id = ? ORDER BY seq', ['x'])).toMatch(/SEARCH log_chunks USING PRIMARY KEY \(node_id=\?\)/);
    expect(await plan('SELECT * FROM log_nodes WHERE cause_id = ?', ['x'])).toMatch(/USING INDEX log_nodes_cause_id/);
    // chunksOfSession / sessionLog: the session's nodes by index, each node's chunks by key (no scan).
    const sessionChunks = await plan(
      `SELECT json_group_array(json_array(c.node_id, c.seq, c.text, c.at_ms) ORDER BY n.path, c.seq)
       FROM log_nodes n JOIN log_chunks c ON c.node_id = n.id WHERE n.session_id = ?`,
      ['s'],
    );
    expect(sessionChunks).toMatch(/SEARCH n USING (COVERING )?INDEX log_nodes_session_id_\w+ \(session_id=\?\)/);
    expect(sessionChunks).toMatch(/SEARCH c USING PRIMARY KEY \(node_id=\?\)/);
  });
});
