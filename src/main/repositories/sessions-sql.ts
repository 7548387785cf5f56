// The SQL shape of sessions: the columns read, the SELECTs (with the pinned version and the
// agent), row decoding and the WHERE terms of a list filter. SessionsRepository (sessions.ts)
// runs them; nothing here touches the database.

import type { Row } from '@libsql/client';
import type { Session, SessionOverrides, SessionSourceFormat, SessionStatus, SessionWithConfig } from '../../shared/domain.js';
import { sessionListInputSchema, type SessionListInput } from '../../shared/ipc/channels/sessions.js';
import { effectiveConfig } from './effective-config.js';
import { json, likePattern, num, str, strOrNull } from './rows.js';
import { configFromSnapshot } from './validation.js';

/** Statuses that end a run: entering one stamps ended_at. */
export const ENDED_STATUSES: readonly SessionStatus[] = ['completed', 'failed', 'stopped', 'interrupted', 'budget_reached'];

/** The contract's sorts (channels/sessions.ts); the repository implements every one. */
export const SESSION_SORTS = sessionListInputSchema.unwrap().shape.sort.unwrap().options;
export type SessionSort = SessionListInput['sort'];


/**
 * A list query in the contract's own terms (sessions.list's validated input; defaults for what
 * is left out), plus the repository's parentSessionId for sub-sessions. Nothing re-checks it:
 * the contract's schema ran at the boundary and the SQL CHECKs are the last line.
 */
export type SessionListOptions = Partial<SessionListInput> & {
  /** Sub-sessions / forks of one session. */
  parentSessionId?: string;
};

/** The filter part of a list query (count() takes it). A single status may be given bare. */
export type SessionFilter = Omit<SessionListOptions, 'status' | 'sort' | 'order' | 'limit' | 'cursor'> & {
  status?: SessionStatus | readonly SessionStatus[];
};
const SESSION_COLUMNS = [
  'id',
  'agent_id',
  'agent_version_id',
  'parent_session_id',
  'name',
  'goal',
  'status',
  'overrides',
  'external_id',
  'started_at',
  'ended_at',
  'result',
  'error',
  'tokens_in',
  'tokens_out',
  'tokens_reasoning',
  'tokens_cached',
  'cost_usd',
  'archived_at',
  'deleted_at',
  'created_at',
  'updated_at',
];

/**
 * Pin, tags and import source, read in the same statement as the row (migrations 0020, 0060):
 * each is a primary-key probe per returned row, so a page of 50 costs 150 index look-ups and
 * no further round trip.
 */
const MARK_COLUMNS = `(SELECT p.pinned_at FROM session_pins p WHERE p.session_id = s.id) AS pinned_at,
(SELECT json_group_array(t.tag) FROM session_tags t WHERE t.session_id = s.id) AS tags,
(SELECT src.format FROM session_sources src WHERE src.session_id = s.id) AS source_format`;

export const SESSION_SELECT = `SELECT ${SESSION_COLUMNS.map((c) => `s.${c}`).join(', ')}, v.version AS agent_version, ${MARK_COLUMNS}
FROM sessions s JOIN agent_versions v ON v.id = s.agent_version_id`;

export const SESSION_WITH_CONFIG_SELECT = `SELECT ${SESSION_COLUMNS.map((c) => `s.${c}`).join(', ')}, v.version AS agent_version, v.config AS agent_config, a.name AS agent_name, ${MARK_COLUMNS}
FROM sessions s JOIN agent_versions v ON v.id = s.agent_version_id JOIN agents a ON a.id = s.agent_id`;

/** Sort -> column. 'status' pages on (status, id): sessions grouped by status, oldest id first within one. */
export const SORT_COLUMNS: Record<SessionSort, string> = { createdAt: 'created_at', updatedAt: 'updated_at', name: 'name', status: 'status' };


export function rowToSession(row: Row): Session {
  return {
    id: str(row, 'id'),
    agentId: str(row, 'agent_id'),
    agentVersionId: str(row, 'agent_version_id'),
    agentVersion: num(row, 'agent_version'),
    parentSessionId: strOrNull(row, 'parent_session_id'),
    name: str(row, 'name'),
    goal: strOrNull(row, 'goal'),
    status: str(row, 'status') as SessionStatus, // CHECKed by the schema
    overrides: json<SessionOverrides>(row, 'overrides'),
    externalId: strOrNull(row, 'external_id'),
    startedAt: strOrNull(row, 'started_at'),
    endedAt: strOrNull(row, 'ended_at'),
    result: strOrNull(row, 'result'),
    error: strOrNull(row, 'error'),
    tokensIn: num(row, 'tokens_in'),
    tokensOut: num(row, 'tokens_out'),
    tokensReasoning: num(row, 'tokens_reasoning'),
    tokensCached: num(row, 'tokens_cached'),
    costUsd: num(row, 'cost_usd'),
    archivedAt: strOrNull(row, 'archived_at'),
    deletedAt: strOrNull(row, 'deleted_at'),
    createdAt: str(row, 'created_at'),
    updatedAt: str(row, 'updated_at'),
    pinnedAt: strOrNull(row, 'pinned_at'),
    tags: [...json<string[]>(row, 'tags')].sort(),
    source: strOrNull(row, 'source_format') as SessionSourceFormat | null, // CHECKed by the schema
  };
}

export function rowToSessionWithConfig(row: Row): SessionWithConfig {
  const session = rowToSession(row);
  return {
    ...session,
    agentName: str(row, 'agent_name'),
    effectiveConfig: effectiveConfig(configFromSnapshot(json(row, 'agent_config')), session.overrides),
  };
}

/**
 * WHERE terms of a filter. For a keyset list (`forList`), the "not archived / not deleted" terms
 * get SQLite's unary `+`, which stops the planner from answering them with the
 * (deleted_at, archived_at) index: they match nearly every row, and using that index would mean
 * reading and sorting every session for one page instead of walking the sort index. The
 * selective "only archived / only deleted" terms keep the index.
 */
export function filterConditions(filter: SessionFilter, forList = false): { where: string[]; args: Array<string | number> } {
  const plus = forList ? '+' : '';
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (filter.agentId !== undefined) {
    where.push('s.agent_id = ?');
    args.push(filter.agentId);
  }
  if (filter.parentSessionId !== undefined) {
    where.push('s.parent_session_id = ?');
    args.push(filter.parentSessionId);
  }
  // An empty list means "any status", as in the contract.
  const statuses = filter.status === undefined ? [] : typeof filter.status === 'string' ? [filter.status] : [...filter.status];
  if (statuses.length > 0) {
    where.push(`s.status IN (${statuses.map(() => '?').join(', ')})`);
    args.push(...statuses);
  }
  const archived = filter.archived ?? 'exclude';
  if (archived === 'only') where.push('s.archived_at IS NOT NULL');
  else if (archived === 'exclude') where.push(`${plus}s.archived_at IS NULL`);
  const deleted = filter.deleted ?? 'exclude';
  if (deleted === 'only') where.push('s.deleted_at IS NOT NULL');
  else if (deleted === 'exclude') where.push(`${plus}s.deleted_at IS NULL`);
  const pinned = filter.pinned ?? 'include';
  if (pinned === 'only') where.push('s.id IN (SELECT session_id FROM session_pins)');
  else if (pinned === 'exclude') where.push('NOT EXISTS (SELECT 1 FROM session_pins p WHERE p.session_id = s.id)');
  // Every tag must be present: each one narrows the list (session_tags_tag answers each term).
  for (const tag of new Set(filter.tags ?? [])) {
    where.push('s.id IN (SELECT session_id FROM session_tags WHERE tag = ?)');
    args.push(tag);
  }
  const search = filter.search?.trim();
  if (search) {
    const p = likePattern(search);
    where.push(`(s.name LIKE ? ESCAPE '\\' OR s.goal LIKE ? ESCAPE '\\')`);
    args.push(p, p);
  }
  return { where, args };
}

