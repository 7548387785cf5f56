// The agent config as the repositories write it. Requests are validated once, at the IPC
// boundary; what is parsed again here is a config the repository itself assembles: create fills
// the defaults (callers such as duplicate and import pass partial configs), and update checks the
// stored config merged with the patch as a whole. A failure is a VALIDATION error naming the field
// instead of a bare "CHECK constraint failed".

import { z } from 'zod';
import type { AgentConfig, SessionOverrides } from '../../shared/domain.js';
import { AGENT_CONFIG_DEFAULTS, agentConfigSchema, agentPatchSchema, overridableConfigSchema } from '../../shared/ipc/schemas.js';
import { DataError } from './errors.js';

/** What a create call leaves out (the same defaults the IPC contract documents). */
export const DEFAULT_AGENT_CONFIG: Omit<AgentConfig, 'name'> = AGENT_CONFIG_DEFAULTS;

/** The config fields a session may override, in AgentConfig order. */
export const OVERRIDE_KEYS = Object.keys(overridableConfigSchema.shape) as Array<keyof SessionOverrides>;

function fail(what: string, error: z.ZodError): never {
  const first = error.issues[0];
  const field = first && first.path.length > 0 ? first.path.join('.') : undefined;
  throw new DataError('VALIDATION', `invalid ${what}: ${z.prettifyError(error)}`, field ? { field } : undefined);
}

/** A full config for create: name required, every other field defaulted. */
export function parseNewAgentConfig(input: unknown): AgentConfig {
  const base = typeof input === 'object' && input !== null ? input : {};
  const r = agentConfigSchema.safeParse({ ...DEFAULT_AGENT_CONFIG, ...stripUndefined(base) });
  if (!r.success) fail('agent config', r.error);
  return r.data as AgentConfig;
}

/** A partial config for update: only the fields given, each checked. */
export function parseAgentConfigPatch(input: unknown): Partial<AgentConfig> {
  const r = agentPatchSchema.safeParse(typeof input === 'object' && input !== null ? stripUndefined(input) : input);
  if (!r.success) fail('agent config', r.error);
  return r.data as Partial<AgentConfig>;
}

function stripUndefined(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** A stored snapshot read back: fields added to AgentConfig after it was written get defaults. */
export function configFromSnapshot(raw: unknown): AgentConfig {
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return { ...DEFAULT_AGENT_CONFIG, name: '', ...obj } as AgentConfig;
}
