import { z } from 'zod';
import type { Page, Session, SessionWithConfig } from '../../domain';
import { defineDomain, event, IMPORT_MAX_PAYLOAD_BYTES, request, returns } from '../define';
import { sessionExportSchema, type SessionExport } from '../export-format';
import {
  byIdSchema,
  cursorSchema,
  idSchema,
  pageLimitSchema,
  sessionOverridesSchema,
  sessionStatusSchema,
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
    sort: z.enum(['createdAt', 'updatedAt', 'name', 'status']).default('createdAt'),
    order: sortOrderSchema.default('desc'),
    limit: pageLimitSchema(500, 50),
    cursor: cursorSchema,
  })
  .default({ archived: 'exclude', deleted: 'exclude', sort: 'createdAt', order: 'desc', limit: 50 });
export type SessionListInput = z.output<typeof sessionListInputSchema>;

export const sessionCreateInputSchema = z.strictObject({
  agentId: idSchema,
  name: z.string().trim().max(500).optional(),
  goal: z.string().max(1_000_000).nullable().optional(),
  overrides: sessionOverridesSchema.optional(),
  parentSessionId: idSchema.nullable().optional(),
  externalId: z.string().max(500).nullable().optional(),
});

export const sessionUpdateInputSchema = z.strictObject({
  id: idSchema,
  patch: z.strictObject({
    name: z.string().trim().max(500).optional(),
    goal: z.string().max(1_000_000).nullable().optional(),
    overrides: sessionOverridesSchema.optional(),
    externalId: z.string().max(500).nullable().optional(),
  }),
});

export const sessionImportInputSchema = z.strictObject({
  data: sessionExportSchema,
  /**
   * 'copy' (default) keeps the file's ids when they are free and mints new ones (session and
   * every node) when this session already exists here; 'error' refuses with CONFLICT.
   */
  onConflict: z.enum(['copy', 'error']).default('copy'),
});

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
  },
  events: {
    statusChanged: event(
      z.strictObject({
        sessionId: idSchema,
        agentId: idSchema,
        from: sessionStatusSchema.nullable(),
        to: sessionStatusSchema,
        at: timestampSchema,
      }),
    ),
    changed: event(z.strictObject({ sessionId: idSchema, agentId: idSchema, change: sessionChangeSchema })),
  },
});

/** The request channels this file declares (the core serves them; see src/main/ipc/handlers.ts). */
export type SessionsChannel = `sessions.${keyof typeof sessionsDomain.requests & string}`;
