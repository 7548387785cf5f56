// Input checks shared by the repository and the writer. Everything that reaches SQL from outside
// passes through here first, so a bad value becomes a LogsError('INVALID_INPUT') instead of a
// CHECK failure deep inside a batch (which, in the writer, would poison a whole flush).

import { z } from 'zod';
import { LOG_KINDS, LOG_STATUSES, type JsonValue } from '../../shared/domain.js';
import { LogsError } from './errors.js';

/** Roles a node may carry (AG-UI's message roles); the schema CHECK has the same list. */
export const LOG_ROLES = ['user', 'assistant', 'system', 'developer', 'tool', 'reasoning', 'activity'] as const;
export type LogRole = (typeof LOG_ROLES)[number];

/** Statuses a node can still leave; the recovery sweep turns these into 'interrupted'. */
export const OPEN_LOG_STATUSES = ['streaming', 'running', 'pending_approval', 'approved'] as const;
/** Statuses that end a node (finishNode). 'denied' ends a tool call that never ran. */
export const FINAL_LOG_STATUSES = ['complete', 'error', 'interrupted', 'denied'] as const;
/** Tool-call states set by updateToolStatus. */
export const TOOL_LOG_STATUSES = ['pending_approval', 'approved', 'denied', 'running'] as const;

export const idSchema = z.string().min(1).max(200);
export const countSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const costSchema = z.number().nonnegative().finite();
export const kindSchema = z.enum(LOG_KINDS);
export const statusSchema = z.enum(LOG_STATUSES);
export const roleSchema = z.enum(LOG_ROLES);

/** Any value JSON can carry; checked by serialising it once (cheaper than a deep schema). */
export const jsonValueSchema = z.custom<JsonValue>((v) => {
  if (v === undefined) return false;
  try {
    return JSON.stringify(v) !== undefined;
  } catch {
    return false;
  }
}, 'must be a JSON value');

export const metadataSchema = z.custom<Record<string, JsonValue>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && jsonValueSchema.safeParse(v).success,
  'must be a JSON object',
);

/** Its JSON text when `v` is a JSON value (not undefined, no cycle, no BigInt), else undefined. */
function toJsonText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

/**
 * jsonValueSchema and metadataSchema for bulk paths: the same checks, but the output is the
 * value's JSON text, so the value is serialised once (for the check and for the row), not twice.
 */
export const jsonTextSchema = z.unknown().transform((v, ctx): string => {
  const text = toJsonText(v);
  if (text === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON value' });
    return z.NEVER;
  }
  return text;
});
export const metadataTextSchema = z.unknown().transform((v, ctx): string => {
  const text = typeof v === 'object' && v !== null && !Array.isArray(v) ? toJsonText(v) : undefined;
  if (text === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
    return z.NEVER;
  }
  return text;
});

/** Accepts any date string Date can parse and normalises it to the stored ISO-8601 UTC form. */
export const timestampSchema = z.string().transform((s, ctx) => {
  const t = Date.parse(s);
  if (Number.isNaN(t)) {
    ctx.addIssue({ code: 'custom', message: 'must be a date-time' });
    return z.NEVER;
  }
  return new Date(t).toISOString();
});

export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new LogsError('INVALID_INPUT', `Invalid ${what}${where}: ${issue?.message ?? 'bad value'}`, {
      issues: r.error.issues,
    });
  }
  return r.data;
}

/** JSON text for a TEXT column holding JSON, or null. */
export function jsonText(v: JsonValue | null | undefined): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}
