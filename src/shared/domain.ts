// The data model every layer agrees on. Repositories return these shapes, the IPC contract
// carries them, the renderer draws them. Timestamps are ISO-8601 UTC strings; ids are UUIDv7.

export const PERMISSION_MODES = ['readOnly', 'ask', 'acceptEdits', 'bypassPermissions'] as const;
export type PermissionMode = (typeof PERMISSION_MODES)[number];

export const SESSION_STATUSES = [
  'idle',
  'running',
  'waiting_for_user_input',
  'completed',
  'failed',
  'stopped',
  'interrupted',
  /** A budget stopped the run before a model call that could have crossed it; resumable. */
  'budget_reached',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Legal status transitions; anything else is refused by the sessions repository. */
export const SESSION_TRANSITIONS: Record<SessionStatus, readonly SessionStatus[]> = {
  idle: ['running', 'completed', 'failed', 'stopped'],
  running: ['waiting_for_user_input', 'completed', 'failed', 'stopped', 'interrupted', 'idle', 'budget_reached'],
  waiting_for_user_input: ['running', 'completed', 'failed', 'stopped', 'interrupted', 'budget_reached'],
  completed: ['running'],
  failed: ['running'],
  stopped: ['running'],
  interrupted: ['running', 'stopped', 'failed'],
  budget_reached: ['running'],
};

export const LOG_KINDS = [
  'user_message',
  'assistant_message',
  'thought',
  'action',
  'observation',
  'error',
  'system',
] as const;
export type LogKind = (typeof LOG_KINDS)[number];

export const LOG_STATUSES = [
  'streaming',
  'complete',
  'error',
  'interrupted',
  'pending_approval',
  'approved',
  'denied',
  'running',
] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The configurable part of an agent; every saved change becomes an immutable AgentVersion. */
export interface AgentConfig {
  name: string;
  description: string;
  avatar: string | null;
  type: string;
  instructions: string;
  model: string | null;
  planModel: string | null;
  smallModel: string | null;
  builtinTools: string[];
  mcpServers: string[];
  knowledge: JsonValue[];
  accessiblePaths: string[];
  permissionMode: PermissionMode;
  maxSteps: number;
  settings: Record<string, JsonValue>;
  schedule: string | null;
}

/**
 * What a file brought in (agent or session import) asked for and was held back until the user
 * confirms it: the agent is stored disarmed and "needs review" while this is set. Only the
 * risky parts are held; an empty list / null means nothing of that kind was asked for.
 */
export interface PendingReview {
  /** A permission mode above 'ask' (the agent runs as 'ask' meanwhile). */
  permissionMode: PermissionMode | null;
  /** Accessible paths outside the user's home folder (or not absolute). */
  accessiblePaths: string[];
  /** The cron schedule (the agent is not scheduled meanwhile). */
  schedule: string | null;
  /** MCP server names (none are connected meanwhile). */
  mcpServers: string[];
  /** Built-in tools that can change or run things (run_shell, write_file, edit_file, unknown ones). */
  builtinTools: string[];
  /** When the file was imported. */
  requestedAt: string;
  /**
   * The approval rules the file brought (ids of this agent's rules, stored turned off); each is
   * turned on only when ticked in the review. Absent in reviews stored before rules were held.
   */
  rules?: string[];
}

export interface Agent extends AgentConfig {
  id: string;
  /** Set while an imported agent waits for the user to confirm what its file asked for. */
  pendingReview: PendingReview | null;
  /** The current version number (1-based, grows by one per saved change). */
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface AgentVersion {
  id: string;
  agentId: string;
  version: number;
  config: AgentConfig;
  createdAt: string;
}

/** Per-session overrides of the pinned agent config; a missing/null field inherits. */
export type SessionOverrides = Partial<Omit<AgentConfig, 'name' | 'description' | 'avatar' | 'type'>>;

export interface Session {
  id: string;
  agentId: string;
  agentVersionId: string;
  agentVersion: number;
  parentSessionId: string | null;
  name: string;
  goal: string | null;
  status: SessionStatus;
  overrides: SessionOverrides;
  externalId: string | null;
  startedAt: string | null;
  endedAt: string | null;
  result: string | null;
  error: string | null;
  tokensIn: number;
  tokensOut: number;
  tokensReasoning: number;
  tokensCached: number;
  costUsd: number;
  archivedAt: string | null;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * Set when the user pinned the session (pinned ones are listed first). The fields below are
   * read with every session Paddock returns; they are optional because export files written
   * before they existed lack them.
   */
  pinnedAt?: string | null;
  /** The session's tags, sorted (see SESSION_TAG_RULES). */
  tags?: string[];
  /** The format an imported session was read from; null for a session run here. */
  source?: SessionSourceFormat | null;
}

/** Formats a session can be imported from (the session_sources table). */
export const SESSION_SOURCE_FORMATS = ['paddock', 'claude-code', 'codex', 'ag-ui', 'otlp'] as const;
export type SessionSourceFormat = (typeof SESSION_SOURCE_FORMATS)[number];

/** Tags: short lower-case words of letters, digits and `- _ . /`, at most MAX_TAGS per session. */
export const SESSION_TAG_RULES = { maxLength: 40, maxTags: 20 } as const;

export interface SessionWithConfig extends Session {
  agentName: string;
  /** The pinned agent version with this session's overrides applied. */
  effectiveConfig: AgentConfig;
}

export interface LogNode {
  id: string;
  sessionId: string;
  parentId: string | null;
  /** The node this one answers (an observation points at its action). */
  causeId: string | null;
  /** Order among siblings (0-based). */
  seq: number;
  depth: number;
  kind: LogKind;
  role: string | null;
  status: LogStatus;
  content: string;
  metadata: Record<string, JsonValue>;
  model: string | null;
  provider: string | null;
  tokensIn: number;
  tokensOut: number;
  tokensReasoning: number;
  costUsd: number;
  startedAt: string;
  endedAt: string | null;
  toolName: string | null;
  toolArgs: JsonValue | null;
  toolResult: JsonValue | null;
  durationMs: number | null;
  childCount: number;
}

/** One streamed piece of a node's text, with its offset from the node's start (ms). */
export interface LogChunk {
  nodeId: string;
  seq: number;
  text: string;
  atMs: number;
}

export interface Page<T> {
  items: T[];
  /** Opaque keyset cursor for the next page, null at the end. */
  nextCursor: string | null;
}
