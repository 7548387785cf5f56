// zod schemas of the shared data model (src/shared/domain.ts). Inputs are checked against them
// in main; imports are checked against the full record shapes, so a hand-edited export file
// gets a VALIDATION error naming the bad field instead of reaching SQL.
import { z } from 'zod';
import { Cron } from 'croner';
import {
  LOG_KINDS,
  LOG_STATUSES,
  PERMISSION_MODES,
  SESSION_SOURCE_FORMATS,
  SESSION_STATUSES,
  SESSION_TAG_RULES,
  type Agent,
  type AgentConfig,
  type AgentVersion,
  type JsonValue,
  type LogChunk,
  type PendingReview,
  type LogNode,
  type Session,
  type SessionOverrides,
} from '../domain';
import { isJsonValue } from '../json/isJsonValue';

/** Ids are UUIDv7 in Paddock; any RFC 9562 UUID is accepted so imports from other tools work. */
export const idSchema = z.uuid({ message: 'Expected an id (UUID)' });
export const timestampSchema = z.iso.datetime({ precision: 3, message: 'Expected an ISO-8601 UTC timestamp with milliseconds' });
export const cursorSchema = z.string().max(1024).nullable().optional();
export const sortOrderSchema = z.enum(['asc', 'desc']);

export const permissionModeSchema = z.enum(PERMISSION_MODES);
export const sessionStatusSchema = z.enum(SESSION_STATUSES);
export const logKindSchema = z.enum(LOG_KINDS);
export const logStatusSchema = z.enum(LOG_STATUSES);

export const jsonValueSchema: z.ZodType<JsonValue> = z.custom<JsonValue>(isJsonValue, { message: 'Expected JSON data (no undefined, NaN, Infinity, functions, dates or class instances)' });
export const jsonObjectSchema = z.record(z.string(), jsonValueSchema) as z.ZodType<Record<string, JsonValue>>;

const LONG_TEXT = 1_000_000;

/** An optional model id: blank is not a model (the editor sends null for "use the default"). */
const optionalModel = z.string().trim().min(1).max(200).nullable();

/** A cron expression croner can parse (5 or 6 fields, or a nickname such as @daily). */
const cronSchedule = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((pattern) => {
    try {
      // paused + no callback: parses the pattern without ever scheduling a timer.
      new Cron(pattern, { paused: true }).stop();
      return true;
    } catch {
      return false;
    }
  }, 'not a valid cron expression');

/**
 * Every field of an agent's config, as stored. The single definition: the IPC contract, the
 * import format, the agent editor and the repositories (src/main/repositories/validation.ts)
 * all check against it.
 */
export const agentConfigSchema = z.strictObject({
  name: z.string().trim().min(1, 'Name is required').max(200),
  description: z.string().max(10_000),
  avatar: z.string().max(100_000).nullable(),
  type: z.string().trim().min(1).max(100),
  instructions: z.string().max(LONG_TEXT),
  model: optionalModel,
  planModel: optionalModel,
  smallModel: optionalModel,
  builtinTools: z.array(z.string().min(1).max(200)).max(500),
  mcpServers: z.array(z.string().min(1).max(200)).max(200),
  knowledge: z.array(jsonValueSchema).max(10_000),
  accessiblePaths: z.array(z.string().min(1).max(4096)).max(500),
  permissionMode: permissionModeSchema,
  maxSteps: z.int().min(1).max(100_000),
  settings: jsonObjectSchema,
  schedule: cronSchedule.nullable(),
}) satisfies z.ZodType<AgentConfig>;

/** Defaults for a new agent (the repository applies the same); only the name is required. */
export const AGENT_CONFIG_DEFAULTS: Omit<AgentConfig, 'name'> = {
  description: '',
  avatar: null,
  type: 'custom',
  instructions: '',
  model: null,
  planModel: null,
  smallModel: null,
  builtinTools: [],
  mcpServers: [],
  knowledge: [],
  accessiblePaths: [],
  permissionMode: 'ask',
  maxSteps: 50,
  settings: {},
  schedule: null,
};

/** A new agent: the name plus any other config field (the rest take AGENT_CONFIG_DEFAULTS). */
export const agentCreateSchema = agentConfigSchema.partial().required({ name: true });
/** A change to an agent: any subset of config fields. */
export const agentPatchSchema = agentConfigSchema.partial();

/** What an import held back (src/shared/domain.ts PendingReview). */
export const pendingReviewSchema = z.strictObject({
  permissionMode: permissionModeSchema.nullable(),
  accessiblePaths: z.array(z.string().min(1).max(4096)).max(500),
  schedule: cronSchedule.nullable(),
  mcpServers: z.array(z.string().min(1).max(200)).max(200),
  builtinTools: z.array(z.string().min(1).max(200)).max(500),
  requestedAt: timestampSchema,
  rules: z.array(idSchema).max(1000).optional(),
}) satisfies z.ZodType<PendingReview>;

export const agentSchema = agentConfigSchema.extend({
  id: idSchema,
  /** Older files have none; an import recomputes it anyway (a file cannot declare itself reviewed). */
  pendingReview: pendingReviewSchema.nullable().default(null),
  version: z.int().min(1),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  deletedAt: timestampSchema.nullable(),
}) satisfies z.ZodType<Agent>;

export const agentVersionSchema = z.strictObject({
  id: idSchema,
  agentId: idSchema,
  version: z.int().min(1),
  config: agentConfigSchema,
  createdAt: timestampSchema,
}) satisfies z.ZodType<AgentVersion>;

/** The runtime part of the config: the fields a session may override, each required. */
export const overridableConfigSchema = agentConfigSchema.omit({ name: true, description: true, avatar: true, type: true });

/** Session overrides: the runtime part of the config; a missing field inherits the pinned version. */
export const sessionOverridesSchema = overridableConfigSchema.partial() satisfies z.ZodType<SessionOverrides>;

const tokenCount = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const cost = z.number().min(0).max(1e12);

/** One tag, normalised (trimmed, lower-case) before it is checked. */
export const sessionTagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'A tag cannot be empty')
  .max(SESSION_TAG_RULES.maxLength, `A tag has at most ${SESSION_TAG_RULES.maxLength} characters`)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_./-]*$/u, 'A tag is letters and digits, with - _ . / inside');

export const sessionSchema = z.strictObject({
  id: idSchema,
  agentId: idSchema,
  agentVersionId: idSchema,
  agentVersion: z.int().min(1),
  parentSessionId: idSchema.nullable(),
  name: z.string().max(500),
  goal: z.string().max(LONG_TEXT).nullable(),
  status: sessionStatusSchema,
  overrides: sessionOverridesSchema,
  externalId: z.string().max(500).nullable(),
  startedAt: timestampSchema.nullable(),
  endedAt: timestampSchema.nullable(),
  result: z.string().max(10 * LONG_TEXT).nullable(),
  error: z.string().max(LONG_TEXT).nullable(),
  tokensIn: tokenCount,
  tokensOut: tokenCount,
  tokensReasoning: tokenCount,
  tokensCached: tokenCount,
  costUsd: cost,
  archivedAt: timestampSchema.nullable(),
  deletedAt: timestampSchema.nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  pinnedAt: timestampSchema.nullable().optional(),
  tags: z.array(sessionTagSchema).max(SESSION_TAG_RULES.maxTags).optional(),
  source: z.enum(SESSION_SOURCE_FORMATS).nullable().optional(),
}) satisfies z.ZodType<Session>;

/** One model call's token and cost figures, added to a session's totals (reported by a provider, so parsed). */
export const usageDeltaSchema = z.strictObject({
  tokensIn: tokenCount.default(0),
  tokensOut: tokenCount.default(0),
  tokensReasoning: tokenCount.default(0),
  tokensCached: tokenCount.default(0),
  costUsd: cost.default(0),
});
export type UsageDelta = z.output<typeof usageDeltaSchema>;

/** What a status change stores with it: a run's error or its result text. */
export const sessionOutcomeSchema = sessionSchema.pick({ error: true, result: true }).partial();
export type SessionOutcome = z.output<typeof sessionOutcomeSchema>;

export const logNodeSchema = z.strictObject({
  id: idSchema,
  sessionId: idSchema,
  parentId: idSchema.nullable(),
  causeId: idSchema.nullable(),
  seq: z.int().min(0),
  depth: z.int().min(0).max(10_000),
  kind: logKindSchema,
  role: z.string().max(100).nullable(),
  status: logStatusSchema,
  content: z.string().max(16 * LONG_TEXT),
  metadata: jsonObjectSchema,
  model: z.string().max(300).nullable(),
  provider: z.string().max(300).nullable(),
  tokensIn: tokenCount,
  tokensOut: tokenCount,
  tokensReasoning: tokenCount,
  costUsd: cost,
  startedAt: timestampSchema,
  endedAt: timestampSchema.nullable(),
  toolName: z.string().max(300).nullable(),
  toolArgs: jsonValueSchema.nullable(),
  toolResult: jsonValueSchema.nullable(),
  durationMs: z.number().min(0).nullable(),
  childCount: z.int().min(0),
}) satisfies z.ZodType<LogNode>;

export const logChunkSchema = z.strictObject({
  nodeId: idSchema,
  seq: z.int().min(0),
  text: z.string().max(16 * LONG_TEXT),
  atMs: z.number().min(0),
}) satisfies z.ZodType<LogChunk>;

/** `{ id }`: the input of most single-record channels. */
export const byIdSchema = z.strictObject({ id: idSchema });
/** Channels without input accept nothing or an empty object. */
export const noInputSchema = z.strictObject({}).optional();

export function pageLimitSchema(max: number, fallback: number) {
  return z.int().min(1).max(max).default(fallback);
}
