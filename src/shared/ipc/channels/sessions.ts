import { RULE_SCOPES, rulePatternSchema } from './rules';
import { z } from 'zod';
import { SESSION_TAG_RULES, type Page, type Session, type SessionWithConfig } from '../../domain';
import { defineDomain, event, IMPORT_MAX_PAYLOAD_BYTES, request, returns } from '../define';
import { sessionExportSchema, type SessionExport } from '../export-format';
import { APPROVAL_SCOPES } from './runtime';
import {
  byIdSchema,
  cursorSchema,
  idSchema,
  pageLimitSchema,
  sessionOverridesSchema,
  sessionSchema,
  sessionStatusSchema,
  sessionTagSchema,
  sortOrderSchema,
  timestampSchema,
} from '../schemas';

export const sessionListInputSchema = z
  .strictObject({
    agentId: idSchema.optional(),
    /** Any of these statuses; all when absent. */
    status: z.array(sessionStatusSchema).max(20).optional(),
    archived: z.enum(['exclude', 'only', 'include']).default('exclude'),
    deleted: z.enum(['exclude', 'only', 'include']).default('exclude'),
    search: z.string().max(500).optional(),
    /** Pinned sessions only, or only the others (a list shows the pinned ones first); both when absent. */
    pinned: z.enum(['exclude', 'only', 'include']).default('include'),
    /** Sessions carrying every one of these tags. */
    tags: z.array(sessionTagSchema).max(10).optional(),
    sort: z.enum(['createdAt', 'updatedAt', 'name', 'status']).default('createdAt'),
    order: sortOrderSchema.default('desc'),
    limit: pageLimitSchema(500, 50),
    cursor: cursorSchema,
  })
  .default({ archived: 'exclude', deleted: 'exclude', pinned: 'include', sort: 'createdAt', order: 'desc', limit: 50 });
export type SessionListInput = z.output<typeof sessionListInputSchema>;

export const sessionCreateInputSchema = z.strictObject({
  agentId: idSchema,
  name: z.string().trim().max(500).optional(),
  goal: z.string().max(1_000_000).nullable().optional(),
  overrides: sessionOverridesSchema.optional(),
  parentSessionId: idSchema.nullable().optional(),
  externalId: z.string().min(1).max(500).nullable().optional(),
});

export type SessionCreateInput = z.output<typeof sessionCreateInputSchema>;

export const sessionUpdateInputSchema = z.strictObject({
  id: idSchema,
  patch: z.strictObject({
    /** A session always has a name: an empty one is refused (create, by contrast, makes one up). */
    name: z.string().trim().min(1).max(500).optional(),
    goal: z.string().max(1_000_000).nullable().optional(),
    overrides: sessionOverridesSchema.optional(),
    externalId: z.string().min(1).max(500).nullable().optional(),
  }),
});

export const sessionPinInputSchema = z.strictObject({ id: idSchema, pinned: z.boolean() });

/** Adds and removes tags in one change; a tag both added and removed ends up removed. */
export const sessionTagInputSchema = z
  .strictObject({
    id: idSchema,
    add: z.array(sessionTagSchema).max(SESSION_TAG_RULES.maxTags).default([]),
    remove: z.array(sessionTagSchema).max(SESSION_TAG_RULES.maxTags).default([]),
  });

/** Tags in use (on live sessions), most used first: what a tag field suggests. */
export const sessionTagsInputSchema = z
  .strictObject({ agentId: idSchema.optional(), limit: z.int().min(1).max(500).default(100) })
  .default({ limit: 100 });

export interface TagCount {
  tag: string;
  count: number;
}

export const sessionImportInputSchema = z.strictObject({
  data: sessionExportSchema,
  /**
   * 'copy' (default) keeps the file's ids when they are free and mints new ones (session and
   * every node) when this session already exists here; 'error' refuses with CONFLICT.
   */
  onConflict: z.enum(['copy', 'error']).default('copy'),
  /**
   * List the session under this agent (the one the user imports from) instead of the file's:
   * it pins that agent's current version and keeps the file's recorded settings as its own
   * overrides (disarmed like any import).
   */
  intoAgentId: idSchema.optional(),
});

export const sessionForkInputSchema = z.strictObject({
  sessionId: idSchema,
  nodeId: idSchema,
  /** 'through': the node and what it contains are copied; 'before': only what came before it (edit & resend). */
  mode: z.enum(['through', 'before']).default('through'),
  name: z.string().trim().min(1).max(500).optional(),
});

// ---- Driving a run (served by the agent runtime, src/main/runtime/runner.ts)

const messageSchema = z.string().trim().min(1, 'Type a message').max(1_000_000);

export const sessionStartInputSchema = z.strictObject({
  sessionId: idSchema,
  message: messageSchema,
  /** True for scheduled / headless runs: approvals time out and deny instead of waiting. */
  unattended: z.boolean().optional(),
});

export const sessionSendInputSchema = z.strictObject({ sessionId: idSchema, message: messageSchema });

export const approvalInputSchema = z.strictObject({
  /** The tool-call (action) node waiting for approval. */
  nodeId: idSchema,
  scope: z.enum(APPROVAL_SCOPES).default('once'),
  /** Also save an allow rule for this tool (and pattern) there: a visible, editable rule. */
  rule: z.strictObject({ scope: z.enum(RULE_SCOPES), pattern: rulePatternSchema.default(null) }).optional(),
});

export const denyInputSchema = z.strictObject({
  nodeId: idSchema,
  /** Told to the model, so it can adjust. */
  reason: z.string().trim().max(10_000).optional(),
});

export interface RunAck {
  sessionId: string;
  /** The user-message node this call created (null for stop / resume / approvals). */
  nodeId: string | null;
}

export const sessionChangeSchema = z.enum(['created', 'updated', 'removed', 'restored', 'archived', 'unarchived', 'imported', 'purged']);

export const sessionsDomain = defineDomain({
  requests: {
    list: request(sessionListInputSchema, returns<Page<Session>>()),
    /** The session with its agent's name and the effective config (pinned version + overrides). */
    get: request(byIdSchema, returns<SessionWithConfig>()),
    /** Pins the agent's current version. */
    create: request(sessionCreateInputSchema, returns<SessionWithConfig>()),
    update: request(sessionUpdateInputSchema, returns<SessionWithConfig>()),
    /** Soft delete. */
    remove: request(byIdSchema, returns<Session>()),
    restore: request(byIdSchema, returns<Session>()),
    /** Deletes a trashed session and its log for good; CONFLICT unless it is in the trash. */
    purge: request(byIdSchema, returns<{ id: string }>()),
    archive: request(byIdSchema, returns<Session>()),
    unarchive: request(byIdSchema, returns<Session>()),
    export: request(byIdSchema, returns<SessionExport>()),
    import: request(sessionImportInputSchema, returns<SessionWithConfig>(), { maxBytes: IMPORT_MAX_PAYLOAD_BYTES }),
    /** Pins or unpins (idempotent); pinned sessions are listed first. */
    pin: request(sessionPinInputSchema, returns<SessionWithConfig>()),
    /** Adds and removes tags; VALIDATION when the session would carry more than SESSION_TAG_RULES.maxTags. */
    tag: request(sessionTagInputSchema, returns<SessionWithConfig>()),
    /** Tags in use, for suggestions and the tag filter. */
    tags: request(sessionTagsInputSchema, returns<TagCount[]>()),
    /** A new session (parentSessionId = this one) with a copy of the log up to a node; the original is untouched. */
    fork: request(sessionForkInputSchema, returns<SessionWithConfig>()),

    /** First message of a session: creates the user node and starts the run. */
    start: request(sessionStartInputSchema, returns<RunAck>()),
    /** A follow-up: continues the conversation from the stored tree; queued if a run is active. */
    send: request(sessionSendInputSchema, returns<RunAck>()),
    stop: request(byIdSchema, returns<RunAck>()),
    /** Continues an interrupted or stopped session from what is stored. */
    resume: request(byIdSchema, returns<RunAck>()),
    approve: request(approvalInputSchema, returns<RunAck>()),
    deny: request(denyInputSchema, returns<RunAck>()),
    /** Runs a failed model call or tool call of the latest message again; the failed attempt stays in the log. */
    retry: request(z.strictObject({ nodeId: idSchema }), returns<RunAck>()),
  },
  events: {
    statusChanged: event(
      z.strictObject({
        sessionId: idSchema,
        agentId: idSchema,
        from: sessionStatusSchema.nullable(),
        to: sessionStatusSchema,
        at: timestampSchema,
        /** The session after the change (status, error, result, times, usage totals): no refetch needed. */
        session: sessionSchema,
      }),
    ),
    changed: event(z.strictObject({ sessionId: idSchema, agentId: idSchema, change: sessionChangeSchema })),
    /** Token and cost totals after each model call, with the context used against the limit. */
    usage: event(
      z.strictObject({
        sessionId: idSchema,
        nodeId: idSchema,
        tokensIn: z.number(),
        tokensOut: z.number(),
        tokensReasoning: z.number(),
        tokensCached: z.number(),
        costUsd: z.number(),
        contextTokens: z.number(),
        contextWindow: z.number().nullable(),
      }),
    ),
  },
});

/** The request channels this file declares (bound to their services in src/main/ipc/handlers.ts). */
export type SessionsChannel = `sessions.${keyof typeof sessionsDomain.requests & string}`;
