// The SQL shape of agents: the config columns, the SELECTs, row decoding, the statements shared
// with imports, and the WHERE terms of a list filter. AgentsRepository (agents.ts) runs them;
// nothing here touches the database.

import type { InStatement, Row } from '@libsql/client';
import type { Agent, AgentConfig, AgentVersion, PendingReview, PermissionMode } from '../../shared/domain.js';
import { agentListInputSchema, type AgentListInput } from '../../shared/ipc/channels/agents.js';
import { json, likePattern, num, str, strOrNull } from './rows.js';
import { configFromSnapshot } from './validation.js';
import { wellFormedJson } from '../db/well-formed-json.js';

/** The contract's sorts (channels/agents.ts); the repository implements every one. */
export const AGENT_SORTS = agentListInputSchema.unwrap().shape.sort.unwrap().options;
export type AgentSort = AgentListInput['sort'];

/**
 * A list query in the contract's own terms (agents.list's validated input), defaults filled in
 * by the repository for what is left out. Nothing re-checks it: the contract's schema ran at the
 * boundary and the SQL CHECKs are the last line.
 */
export type AgentListOptions = Partial<AgentListInput>;

/** The filter part of a list query (count() takes it). */
export type AgentFilter = Pick<AgentListOptions, 'search' | 'deleted' | 'permissionMode' | 'type'>;

/** Stores an agent's import review (or nothing when null). */
export function insertReview(agentId: string, review: PendingReview | null): InStatement[] {
  if (!review) return [];
  return [{ sql: 'INSERT INTO agent_reviews (agent_id, request, created_at) VALUES (?, ?, ?)', args: [agentId, wellFormedJson(review), review.requestedAt] }];
}



/** AgentConfig field -> column, and how the value is stored. */
export const CONFIG_COLUMNS: ReadonlyArray<readonly [keyof AgentConfig, string, 'value' | 'json']> = [
  ['name', 'name', 'value'],
  ['description', 'description', 'value'],
  ['avatar', 'avatar', 'value'],
  ['type', 'type', 'value'],
  ['instructions', 'instructions', 'value'],
  ['model', 'model', 'value'],
  ['planModel', 'plan_model', 'value'],
  ['smallModel', 'small_model', 'value'],
  ['builtinTools', 'builtin_tools', 'json'],
  ['mcpServers', 'mcp_servers', 'json'],
  ['knowledge', 'knowledge', 'json'],
  ['accessiblePaths', 'accessible_paths', 'json'],
  ['permissionMode', 'permission_mode', 'value'],
  ['maxSteps', 'max_steps', 'value'],
  ['settings', 'settings', 'json'],
  ['schedule', 'schedule', 'value'],
];

// The review (migration 0005) is a scalar subquery rather than a join, so every filter and sort
// term of the list keeps naming the agents table's columns unqualified.
const AGENT_COLUMNS = `id, ${CONFIG_COLUMNS.map(([, c]) => c).join(', ')}, version, created_at, updated_at, deleted_at`;
export const AGENT_SELECT = `SELECT ${AGENT_COLUMNS},
  (SELECT request FROM agent_reviews WHERE agent_reviews.agent_id = agents.id) AS pending_review FROM agents`;
/** On a database not yet at 0005 (tests seed at older migrations) there can be no review. */
export const AGENT_SELECT_BEFORE_REVIEWS = `SELECT ${AGENT_COLUMNS}, NULL AS pending_review FROM agents`;
export const VERSION_SELECT = 'SELECT id, agent_id, version, config, created_at FROM agent_versions';

export const SORT_COLUMNS: Record<AgentSort, string> = { name: 'name', createdAt: 'created_at', updatedAt: 'updated_at' };


export function configValues(config: AgentConfig): Array<string | number | null> {
  return CONFIG_COLUMNS.map(([key, , kind]) => {
    const v = config[key];
    return kind === 'json' ? wellFormedJson(v) : (v as string | number | null);
  });
}

export function rowToAgent(row: Row): Agent {
  return {
    id: str(row, 'id'),
    name: str(row, 'name'),
    description: str(row, 'description'),
    avatar: strOrNull(row, 'avatar'),
    type: str(row, 'type'),
    instructions: str(row, 'instructions'),
    model: strOrNull(row, 'model'),
    planModel: strOrNull(row, 'plan_model'),
    smallModel: strOrNull(row, 'small_model'),
    builtinTools: json(row, 'builtin_tools'),
    mcpServers: json(row, 'mcp_servers'),
    knowledge: json(row, 'knowledge'),
    accessiblePaths: json(row, 'accessible_paths'),
    permissionMode: str(row, 'permission_mode') as PermissionMode,
    maxSteps: num(row, 'max_steps'),
    settings: json(row, 'settings'),
    schedule: strOrNull(row, 'schedule'),
    version: num(row, 'version'),
    createdAt: str(row, 'created_at'),
    updatedAt: str(row, 'updated_at'),
    deletedAt: strOrNull(row, 'deleted_at'),
    pendingReview: strOrNull(row, 'pending_review') === null ? null : json<PendingReview>(row, 'pending_review'),
  };
}

export function rowToAgentVersion(row: Row): AgentVersion {
  return {
    id: str(row, 'id'),
    agentId: str(row, 'agent_id'),
    version: num(row, 'version'),
    config: configFromSnapshot(json(row, 'config')),
    createdAt: str(row, 'created_at'),
  };
}

/** The AgentConfig part of an Agent, in the canonical key order (so snapshots compare equal). */
export function configOf(agent: AgentConfig): AgentConfig {
  return Object.fromEntries(CONFIG_COLUMNS.map(([key]) => [key, agent[key]])) as unknown as AgentConfig;
}

export function sameConfig(a: AgentConfig, b: AgentConfig): boolean {
  return JSON.stringify(configOf(a)) === JSON.stringify(configOf(b));
}

export function insertVersion(id: string, agentId: string, version: number, config: AgentConfig, at: string): InStatement {
  return {
    sql: 'INSERT INTO agent_versions (id, agent_id, version, config, created_at) VALUES (?, ?, ?, ?, ?)',
    args: [id, agentId, version, wellFormedJson(configOf(config)), at],
  };
}

/**
 * WHERE terms of a filter. For a keyset list (`forList`), "not deleted" gets SQLite's unary `+`
 * so the planner walks the sort index instead of reading every live agent through the
 * deleted_at index and sorting them all for one page; "only deleted" (the trash, few rows) may
 * use that index.
 */
export function filterConditions(filter: AgentFilter, forList = false): { where: string[]; args: Array<string | number> } {
  const where: string[] = [];
  const args: Array<string | number> = [];
  const deleted = filter.deleted ?? 'exclude';
  if (deleted === 'only') where.push('deleted_at IS NOT NULL');
  else if (deleted === 'exclude') where.push(forList ? '+deleted_at IS NULL' : 'deleted_at IS NULL');
  if (filter.permissionMode !== undefined) {
    where.push('permission_mode = ?');
    args.push(filter.permissionMode);
  }
  if (filter.type !== undefined) {
    where.push('type = ?');
    args.push(filter.type);
  }
  const search = filter.search?.trim();
  if (search) {
    const p = likePattern(search);
    where.push(`(name LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')`);
    args.push(p, p);
  }
  return { where, args };
}
