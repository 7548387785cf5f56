// Approval rules (migration 0010, table tool_rules): allow / ask / deny a tool, optionally only
// for some commands or paths, for one session, one agent or every agent.
import type { Client, Row } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import type { ExportedRule, RuleSaveInput, RuleScope, ToolRule } from '../../shared/ipc/channels/rules.js';
import { mapSqliteError, notFound } from './errors.js';
import { bool, nowIso, str, strOrNull } from './rows.js';
import { wellFormedJson } from '../db/well-formed-json.js';

function toRule(r: Row): ToolRule {
  const scope = str(r, 'scope') as RuleScope;
  return {
    id: str(r, 'id'),
    scope,
    targetId: scope === 'session' ? strOrNull(r, 'session_id') : scope === 'agent' ? strOrNull(r, 'agent_id') : null,
    toolName: str(r, 'tool'),
    pattern: strOrNull(r, 'pattern'),
    decision: str(r, 'decision') as ToolRule['decision'],
    enabled: bool(r, 'enabled'),
    source: str(r, 'source') as ToolRule['source'],
    createdAt: str(r, 'created_at'),
    updatedAt: str(r, 'updated_at'),
  };
}

const targetColumns = (scope: RuleScope, targetId: string | null): [string | null, string | null] =>
  scope === 'agent' ? [targetId, null] : scope === 'session' ? [null, targetId] : [null, null];

/** Global first, then agent, then session rules; oldest first within each. */
const ORDER = `ORDER BY CASE scope WHEN 'global' THEN 0 WHEN 'agent' THEN 1 ELSE 2 END, created_at, id`;

export class ApprovalRulesRepository {
  constructor(private readonly client: Client) {}

  /** "Always allow this tool" (an approval with scope session/agent): a no-op when such a rule exists. */
  async allow(scope: 'session' | 'agent', targetId: string, toolName: string): Promise<void> {
    const col = scope === 'session' ? 'session_id' : 'agent_id';
    const now = nowIso();
    try {
      await this.client.execute({
        sql: `INSERT INTO tool_rules (id, scope, ${col}, tool, pattern, decision, enabled, source, created_at, updated_at)
              SELECT ?, ?, ?, ?, NULL, 'allow', 1, 'approval', ?, ?
              WHERE NOT EXISTS (SELECT 1 FROM tool_rules WHERE ${col} = ? AND tool = ? AND pattern IS NULL AND decision = 'allow' AND enabled = 1)`,
        args: [uuidv7(), scope, targetId, toolName, now, now, targetId, toolName],
      });
    } catch (err) {
      mapSqliteError(err, 'saving the approval rule');
    }
  }

  /** Whether an enabled allow-everything rule for exactly this tool applies here. */
  async isAllowed(sessionId: string, agentId: string, toolName: string): Promise<boolean> {
    const r = await this.client.execute({
      sql: `SELECT 1 FROM tool_rules WHERE tool = ? AND pattern IS NULL AND decision = 'allow' AND enabled = 1
            AND (session_id = ? OR agent_id = ? OR scope = 'global') LIMIT 1`,
      args: [toolName, sessionId, agentId],
    });
    return r.rows.length > 0;
  }

  async list(scope: RuleScope, targetId: string | null): Promise<ToolRule[]> {
    const where = scope === 'global' ? `scope = 'global'` : scope === 'agent' ? 'agent_id = ?' : 'session_id = ?';
    const r = await this.client.execute({ sql: `SELECT * FROM tool_rules WHERE ${where} ${ORDER}`, args: scope === 'global' ? [] : [targetId] });
    return r.rows.map(toRule);
  }

  /** Every rule that can apply to a call in this session of this agent (disabled ones too). */
  async applicable(opts: { agentId?: string | null; sessionId?: string | null }): Promise<ToolRule[]> {
    const r = await this.client.execute({
      sql: `SELECT * FROM tool_rules WHERE scope = 'global' OR agent_id = ? OR session_id = ? ${ORDER}`,
      args: [opts.agentId ?? null, opts.sessionId ?? null],
    });
    return r.rows.map(toRule);
  }

  async get(id: string): Promise<ToolRule> {
    const r = await this.client.execute({ sql: 'SELECT * FROM tool_rules WHERE id = ?', args: [id] });
    const row = r.rows[0];
    if (!row) throw notFound('rule', id);
    return toRule(row);
  }

  /** Adds a rule (no id) or replaces one (same id). */
  async save(input: RuleSaveInput, source: ToolRule['source'] = 'user'): Promise<ToolRule> {
    const [agentId, sessionId] = targetColumns(input.scope, input.targetId);
    const now = nowIso();
    const id = input.id ?? uuidv7();
    try {
      const r = await this.client.execute({
        sql: `INSERT INTO tool_rules (id, scope, agent_id, session_id, tool, pattern, decision, enabled, source, created_at, updated_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, agent_id = excluded.agent_id, session_id = excluded.session_id,
                tool = excluded.tool, pattern = excluded.pattern, decision = excluded.decision, enabled = excluded.enabled,
                updated_at = excluded.updated_at
              RETURNING *`,
        args: [id, input.scope, agentId, sessionId, input.toolName, input.pattern, input.decision, input.enabled ? 1 : 0, source, now, now],
      });
      return toRule(r.rows[0]!);
    } catch (err) {
      // E.g. the agent or session is gone (foreign key).
      return mapSqliteError(err, 'saving the rule');
    }
  }

  /**
   * An imported agent's rules: stored, listed, and off until the user turns them on. `ids` (one
   * per rule, e.g. already named in the agent's review) are used when given. Returns the ids.
   */
  async importDisabled(agentId: string, rules: readonly ExportedRule[], ids: readonly string[] = []): Promise<string[]> {
    const now = nowIso();
    if (rules.length === 0) return [];
    const made = rules.map((_, i) => ids[i] ?? uuidv7());
    await this.client.batch(
      rules.map((r, i) => ({
        sql: `INSERT INTO tool_rules (id, scope, agent_id, tool, pattern, decision, enabled, source, created_at, updated_at)
              VALUES (?, 'agent', ?, ?, ?, ?, 0, 'import', ?, ?)`,
        args: [made[i]!, agentId, r.toolName, r.pattern, r.decision, now, now],
      })),
      'write',
    );
    return made;
  }

  /**
   * Turns on the imported rules the user ticked in the agent's review. Only this agent's own
   * imported rules can be turned on this way; returns the ids that were.
   */
  async enableImported(agentId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const r = await this.client.execute({
      sql: `UPDATE tool_rules SET enabled = 1, updated_at = ?
            WHERE agent_id = ? AND scope = 'agent' AND source = 'import' AND id IN (SELECT value FROM json_each(?))
            RETURNING id`,
      args: [nowIso(), agentId, wellFormedJson(ids)],
    });
    return r.rows.map((row) => str(row, 'id'));
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.client.execute({ sql: 'DELETE FROM tool_rules WHERE id = ?', args: [id] });
    return r.rowsAffected > 0;
  }
}
