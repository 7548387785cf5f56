// "Always allow" rules (migration 0004): a tool allowed for one session or one agent.
import type { Client, Row } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import type { ApprovalRule } from '../../shared/ipc/channels/runtime.js';
import { mapSqliteError } from './errors.js';
import { nowIso, str, strOrNull } from './rows.js';

/** The column a rule of this scope fills. */
const targetColumn = (scope: ApprovalRule['scope']) => (scope === 'session' ? 'session_id' : 'agent_id');

function toRule(r: Row): ApprovalRule {
  const sessionId = strOrNull(r, 'session_id');
  return {
    id: str(r, 'id'),
    scope: sessionId ? 'session' : 'agent',
    targetId: sessionId ?? str(r, 'agent_id'),
    toolName: str(r, 'tool_name'),
    createdAt: str(r, 'created_at'),
  };
}

export class ApprovalRulesRepository {
  constructor(private readonly client: Client) {}

  /** Adds a rule; adding one that exists is a no-op. */
  async allow(scope: ApprovalRule['scope'], targetId: string, toolName: string): Promise<void> {
    try {
      await this.client.execute({
        sql: `INSERT INTO approval_rules (id, ${targetColumn(scope)}, tool_name, created_at) VALUES (?, ?, ?, ?)
              ON CONFLICT DO NOTHING`,
        args: [uuidv7(), targetId, toolName, nowIso()],
      });
    } catch (err) {
      // E.g. the session or agent is gone (foreign key): the caller's conflict.
      mapSqliteError(err, 'saving the approval rule');
    }
  }

  /** Whether the tool is always allowed in this session or for this agent. */
  async isAllowed(sessionId: string, agentId: string, toolName: string): Promise<boolean> {
    const r = await this.client.execute({
      sql: 'SELECT 1 FROM approval_rules WHERE tool_name = ? AND (session_id = ? OR agent_id = ?) LIMIT 1',
      args: [toolName, sessionId, agentId],
    });
    return r.rows.length > 0;
  }

  async list(scope: ApprovalRule['scope'], targetId: string): Promise<ApprovalRule[]> {
    const r = await this.client.execute({ sql: `SELECT * FROM approval_rules WHERE ${targetColumn(scope)} = ? ORDER BY tool_name`, args: [targetId] });
    return r.rows.map(toRule);
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.client.execute({ sql: 'DELETE FROM approval_rules WHERE id = ?', args: [id] });
    return r.rowsAffected > 0;
  }
}
