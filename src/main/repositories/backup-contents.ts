// What a backup holds, read from the backup file opened read-only (storage.inspectBackup): its
// agents, sessions (with log sizes) and providers. Never API keys: those are not in the database.

import type { BackupContents } from '../../shared/ipc/channels/storage.js';
import type { Client } from '@libsql/client';

/** Sessions listed at most (newest first); the count of nodes per session is an index range. */
const MAX_SESSIONS = 2000;

/** One read-only transaction ('read' batch): nothing in the backup file can change. */
export async function readBackupContents(db: Pick<Client, 'batch'>, name: string): Promise<BackupContents> {
  const [agents, sessions, providers] = await db.batch(
    [
      'SELECT id, name, deleted_at FROM agents ORDER BY name COLLATE NOCASE, id',
      {
        sql: `SELECT s.id, s.name, a.name AS agent_name, s.status, s.updated_at,
                (SELECT count(*) FROM log_nodes n WHERE n.session_id = s.id) AS nodes
              FROM sessions s JOIN agents a ON a.id = s.agent_id
              ORDER BY s.updated_at DESC, s.id LIMIT ?`,
        args: [MAX_SESSIONS],
      },
      'SELECT name, kind FROM providers ORDER BY name',
    ],
    'read',
  );
  if (!agents || !sessions || !providers) throw new Error('the backup answered no rows');
  return {
    name,
    agents: agents.rows.map((r) => ({ id: String(r.id), name: String(r.name), deleted: r.deleted_at !== null })),
    sessions: sessions.rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      agentName: String(r.agent_name),
      status: String(r.status),
      updatedAt: String(r.updated_at),
      nodes: Number(r.nodes),
    })),
    providers: providers.rows.map((r) => ({ name: String(r.name), kind: String(r.kind) })),
  };
}
