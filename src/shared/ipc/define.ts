// Small helpers that let each domain file declare its channels once: the zod schema is the
// runtime check in main, the phantom output type is what the renderer's promise resolves to.
import type { z } from 'zod';

declare const outputBrand: unique symbol;

/** Carries an output type without any runtime cost (main's services are typed against it). */
export interface Returns<T> {
  readonly [outputBrand]?: T;
}

export function returns<T>(): Returns<T> {
  return {} as Returns<T>;
}

export interface RequestDef<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly output: Returns<O>;
  /** Largest accepted serialized payload (bytes); DEFAULT_MAX_PAYLOAD_BYTES when absent. */
  readonly maxBytes?: number;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
}

export interface DomainDef {
  readonly requests: Record<string, RequestDef>;
  readonly events: Record<string, EventDef>;
}

export function request<I extends z.ZodType, O>(input: I, output: Returns<O>, options: { maxBytes?: number } = {}): RequestDef<I, O> {
  return options.maxBytes === undefined ? { input, output } : { input, output, maxBytes: options.maxBytes };
}

export function event<P extends z.ZodType>(payload: P): EventDef<P> {
  return { payload };
}

export function defineDomain<const D extends DomainDef>(domain: D): D {
  return domain;
}

/** Payloads above this are refused before validation; import channels raise it explicitly. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
/** Imports carry whole sessions (100,000 nodes and their chunks), so they get a generous cap. */
export const IMPORT_MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;
/** Deeper payloads are refused up front: recursive validators would otherwise blow the stack. */
export const MAX_PAYLOAD_DEPTH = 128;
