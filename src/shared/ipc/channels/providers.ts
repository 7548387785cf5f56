import { z } from 'zod';
import { defineDomain, event, request, returns } from '../define';
import { byIdSchema, idSchema } from '../schemas';

export const PROVIDER_KINDS = ['openai', 'anthropic', 'openai-compatible'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Prices in US dollars per million tokens; null = not priced (cost counts as 0). */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cache reads; the input price applies when null. */
  cachedInput: number | null;
  /** Reasoning tokens; the output price applies when null. */
  reasoning: number | null;
}

export interface ProviderModel {
  id: string;
  /** The model's context window in tokens, for "used / limit" figures. */
  contextWindow: number | null;
  price: ModelPrice | null;
}

/** A provider as the renderer sees it: never the key, only whether one is stored. */
export interface Provider {
  id: string;
  name: string;
  kind: ProviderKind;
  /** null = the kind's public endpoint (required for openai-compatible). */
  baseURL: string | null;
  defaultModel: string | null;
  models: ProviderModel[];
  hasKey: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ProviderTestResult {
  ok: boolean;
  /** Readable outcome: "Connected, 12 models" or the provider's error. */
  message: string;
  models: string[];
}

const priceSchema = z.strictObject({
  input: z.number().min(0).max(1_000_000),
  output: z.number().min(0).max(1_000_000),
  cachedInput: z.number().min(0).max(1_000_000).nullable().default(null),
  reasoning: z.number().min(0).max(1_000_000).nullable().default(null),
});

export const providerModelSchema = z.strictObject({
  id: z.string().trim().min(1).max(300),
  contextWindow: z.int().min(1).max(100_000_000).nullable().default(null),
  price: priceSchema.nullable().default(null),
});

const baseUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Expected an http(s) URL, e.g. http://localhost:11434/v1');

export const providerSaveInputSchema = z
  .strictObject({
    /** Absent = a new provider. */
    id: idSchema.optional(),
    name: z.string().trim().min(1, 'Name is required').max(200),
    kind: z.enum(PROVIDER_KINDS),
    baseURL: baseUrlSchema.nullable().default(null),
    defaultModel: z.string().trim().min(1).max(300).nullable().default(null),
    models: z.array(providerModelSchema).max(1000).default([]),
    /**
     * A new key replaces the stored one; absent keeps it; null removes it. Keys only travel
     * renderer -> main, never back.
     */
    apiKey: z.string().trim().min(1).max(10_000).nullable().optional(),
  })
  .refine((p) => p.kind !== 'openai-compatible' || p.baseURL !== null, {
    message: 'An OpenAI-compatible provider needs a base URL',
    path: ['baseURL'],
  });
export type ProviderSaveInput = z.output<typeof providerSaveInputSchema>;

export const providerTestInputSchema = z.union([
  byIdSchema,
  /** Test unsaved settings (the form before Save); the key may be omitted for local servers. */
  z.strictObject({
    draft: z.strictObject({
      id: idSchema.optional(),
      kind: z.enum(PROVIDER_KINDS),
      baseURL: baseUrlSchema.nullable().default(null),
      apiKey: z.string().trim().min(1).max(10_000).nullable().optional(),
    }),
  }),
]);
export type ProviderTestInput = z.output<typeof providerTestInputSchema>;

export const providersDomain = defineDomain({
  requests: {
    list: request(z.strictObject({}).optional(), returns<Provider[]>()),
    save: request(providerSaveInputSchema, returns<Provider>()),
    remove: request(byIdSchema, returns<{ id: string }>()),
    /** Lists models with the given settings; never throws for a provider error, reports it. */
    test: request(providerTestInputSchema, returns<ProviderTestResult>()),
    /** The provider's models as its API lists them. */
    models: request(byIdSchema, returns<string[]>()),
  },
  events: {
    changed: event(z.strictObject({ providerId: idSchema, change: z.enum(['saved', 'removed']) })),
  },
});

/**
 * How an agent's `model` field names a model: `<providerId>:<modelId>`. Provider ids are UUIDs
 * (no colon), so the first colon separates them even for model ids like `llama3:8b`.
 */
export function formatModelRef(providerId: string, modelId: string): string {
  return `${providerId}:${modelId}`;
}

export function parseModelRef(ref: string): { provider: string; model: string } | null {
  const i = ref.indexOf(':');
  if (i <= 0 || i === ref.length - 1) return null;
  return { provider: ref.slice(0, i), model: ref.slice(i + 1) };
}
