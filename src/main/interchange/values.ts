// Small checks shared by the import modules: foreign values turned into what a log node column
// accepts, or a line error.
import type { JsonValue } from '../../shared/domain.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0;
}

/**
 * The canonical timestamp the schema accepts (YYYY-MM-DDTHH:MM:SS.sssZ) from an ISO string,
 * epoch milliseconds or OTLP's epoch nanoseconds (a string of digits); null when it is none.
 */
export function isoTime(v: unknown): string | null {
  let ms: number;
  if (typeof v === 'number' && Number.isFinite(v)) ms = v;
  else if (typeof v === 'string' && /^\d{16,20}$/.test(v)) ms = Number(BigInt(v) / 1_000_000n);
  else if (typeof v === 'string' && v.length > 0) ms = Date.parse(v);
  else return null;
  if (!Number.isFinite(ms) || ms < 0 || ms > 253402300799999) return null;
  return new Date(ms).toISOString();
}

/** Later of two canonical timestamps (either may be null). */
export function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/** A foreign value kept as JSON (undefined and functions cannot occur: it came from JSON.parse). */
export function json(v: unknown): JsonValue {
  return v as JsonValue;
}

/** Parses a JSON-text argument string; keeps the text itself when it is not JSON. */
export function jsonOrText(v: unknown): JsonValue {
  if (typeof v !== 'string') return json(v ?? null);
  try {
    return JSON.parse(v) as JsonValue;
  } catch {
    return v;
  }
}

/** The fields of `o` not in `known`, for node metadata. */
export function rest(o: Obj, known: readonly string[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(o)) if (!known.includes(k) && v !== undefined) out[k] = v as JsonValue;
  return out;
}
