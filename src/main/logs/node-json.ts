// SQL that renders log nodes as the contract's LogNode JSON objects, so a list read can hand its
// text to a transport untouched (see RawJson). Keys in LogNode's order, values as rows.ts's
// nodesFromJson builds them: the two read paths must produce the same objects.

import { assembledChunksSql } from './rows.js';

/** A node's text as readers see it (as rows.ts): a streaming node's chunks are appended on read. */
const LIVE_CONTENT = `CASE WHEN n.status = 'streaming' THEN n.content || ${assembledChunksSql('n.id')} ELSE n.content END`;

/** One `FROM log_nodes n` row as a LogNode JSON object. */
export const NODE_OBJECT_JSON = `json_object('id', n.id, 'sessionId', n.session_id, 'parentId', n.parent_id,
  'causeId', n.cause_id, 'seq', n.seq, 'depth', n.depth, 'kind', n.kind, 'role', n.role, 'status', n.status,
  'content', ${LIVE_CONTENT}, 'metadata', json(n.metadata), 'model', n.model, 'provider', n.provider,
  'tokensIn', n.tokens_in, 'tokensOut', n.tokens_out, 'tokensReasoning', n.tokens_reasoning,
  'costUsd', n.cost_usd, 'startedAt', n.started_at, 'endedAt', n.ended_at, 'toolName', n.tool_name,
  'toolArgs', json(n.tool_args), 'toolResult', json(n.tool_result), 'durationMs', n.duration_ms,
  'childCount', n.child_count)`;
