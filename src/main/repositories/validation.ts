// Input checks for what the repositories write. The database has CHECK constraints too; these
// run first so a caller gets a precise VALIDATION error naming the field instead of a bare
// "CHECK constraint failed".

import { z } from 'zod';
import { Cron } from 'croner';
import { PERMISSION_MODES, type AgentConfig, type SessionOverrides } from '../../shared/domain.js';
import { RepositoryError } from './errors.js';

const jsonValue = z.json();
const optionalModel = z.string().trim().min(1).max(200).nullable();

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

/** Every AgentConfig field with its rule; defaults fill what a create call leaves out. */
const configFields = {
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  description: z.string().max(20_000),
  avatar: z.string().max(100_000).nullable(),
  type: z.string().trim().min(1).max(100),
  instructions: z.string().max(1_000_000),
  model: optionalModel,
  planModel: optionalModel,
  smallModel: optionalModel,
  builtinTools: z.array(z.string().min(1).max(200)).max(1000),
  mcpServers: z.array(z.string().min(1).max(200)).max(1000),
  knowledge: z.array(jsonValue).max(10_000),
  accessiblePaths: z.array(z.string().min(1).max(4096)).max(1000),
  permissionMode: z.enum(PERMISSION_MODES),
  maxSteps: z.number().int().min(1).max(100_000),
  settings: z.record(z.string(), jsonValue),
  schedule: cronSchedule.nullable(),
};

export const DEFAULT_AGENT_CONFIG: Omit<AgentConfig, 'name'> = {
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

const fullConfigSchema = z.strictObject(configFields);
const partialConfigSchema = z.strictObject(configFields).partial();

/** Session overrides: the runtime fields of AgentConfig; null means "inherit" and is dropped. */
const overrideFields = {
  instructions: configFields.instructions,
  model: configFields.model,
  planModel: configFields.planModel,
  smallModel: configFields.smallModel,
  builtinTools: configFields.builtinTools,
  mcpServers: configFields.mcpServers,
  knowledge: configFields.knowledge,
  accessiblePaths: configFields.accessiblePaths,
  permissionMode: configFields.permissionMode,
  maxSteps: configFields.maxSteps,
  settings: configFields.settings,
  schedule: configFields.schedule,
};
export const OVERRIDE_KEYS = Object.keys(overrideFields) as Array<keyof SessionOverrides>;

// Each override may also be null, meaning "clear this override / inherit".
const overridePatchSchema = z.strictObject(
  Object.fromEntries(Object.entries(overrideFields).map(([k, s]) => [k, s.nullable().optional()])) as {
    [K in keyof typeof overrideFields]: z.ZodOptional<z.ZodNullable<(typeof overrideFields)[K]>>;
  },
);

function fail(what: string, error: z.ZodError): never {
  const first = error.issues[0];
  const field = first && first.path.length > 0 ? first.path.join('.') : undefined;
  throw new RepositoryError('VALIDATION', `invalid ${what}: ${z.prettifyError(error)}`, field ? { field } : undefined);
}

/** A full config for create: name required, every other field defaulted. */
export function parseNewAgentConfig(input: unknown): AgentConfig {
  const base = typeof input === 'object' && input !== null ? input : {};
  const r = fullConfigSchema.safeParse({ ...DEFAULT_AGENT_CONFIG, ...stripUndefined(base) });
  if (!r.success) fail('agent config', r.error);
  return r.data as AgentConfig;
}

/** A partial config for update: only the fields given, each checked. */
export function parseAgentConfigPatch(input: unknown): Partial<AgentConfig> {
  const r = partialConfigSchema.safeParse(typeof input === 'object' && input !== null ? stripUndefined(input) : input);
  if (!r.success) fail('agent config', r.error);
  return r.data as Partial<AgentConfig>;
}

/** An override patch: set keys replace, null keys clear (inherit), absent keys are untouched. */
export function parseOverridePatch(input: unknown): { [K in keyof SessionOverrides]?: SessionOverrides[K] | null } {
  const r = overridePatchSchema.safeParse(typeof input === 'object' && input !== null ? stripUndefined(input) : input);
  if (!r.success) fail('session overrides', r.error);
  return r.data as { [K in keyof SessionOverrides]?: SessionOverrides[K] | null };
}

/** Overrides as stored: an object with only the keys that override something (no nulls). */
export function parseOverrides(input: unknown): SessionOverrides {
  const patch = parseOverridePatch(input ?? {});
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null && v !== undefined)) as SessionOverrides;
}

function stripUndefined(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** A stored snapshot read back: fields added to AgentConfig after it was written get defaults. */
export function configFromSnapshot(raw: unknown): AgentConfig {
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return { ...DEFAULT_AGENT_CONFIG, name: '', ...obj } as AgentConfig;
}
