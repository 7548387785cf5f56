import { z } from 'zod';
import type { Agent, AgentVersion, Page } from '../../domain';
import { defineDomain, event, IMPORT_MAX_PAYLOAD_BYTES, request, returns } from '../define';
import { agentExportSchema, type AgentExport } from '../export-format';
import {
  agentCreateSchema,
  agentPatchSchema,
  byIdSchema,
  cursorSchema,
  idSchema,
  pageLimitSchema,
  permissionModeSchema,
  sortOrderSchema,
} from '../schemas';

export const agentListInputSchema = z
  .strictObject({
    /** Matches name and description, case-insensitive. */
    search: z.string().max(500).optional(),
    /** 'exclude' (default) hides the trash, 'only' is the trash view. */
    deleted: z.enum(['exclude', 'only', 'include']).default('exclude'),
    permissionMode: permissionModeSchema.optional(),
    type: z.string().max(100).optional(),
    sort: z.enum(['name', 'createdAt', 'updatedAt']).default('updatedAt'),
    order: sortOrderSchema.default('desc'),
    limit: pageLimitSchema(500, 50),
    cursor: cursorSchema,
  })
  .default({ deleted: 'exclude', sort: 'updatedAt', order: 'desc', limit: 50 });
export type AgentListInput = z.output<typeof agentListInputSchema>;

export const agentUpdateInputSchema = z.strictObject({
  id: idSchema,
  patch: agentPatchSchema,
  /** Optimistic concurrency: when given and the agent moved on, the update fails with CONFLICT. */
  expectedVersion: z.int().min(1).optional(),
});

export const agentImportInputSchema = z.strictObject({
  data: agentExportSchema,
  /**
   * 'copy' (default) keeps the file's ids when they are free and mints new ones when the agent
   * already exists here; 'error' refuses an existing id with CONFLICT.
   */
  onConflict: z.enum(['copy', 'error']).default('copy'),
});

/** What the user accepted in an imported agent's review; everything else it asked for is dropped. */
export const agentConfirmImportInputSchema = z.strictObject({
  id: idSchema,
  accept: z.strictObject({
    permissionMode: z.boolean().default(false),
    accessiblePaths: z.array(z.string().min(1).max(4096)).max(500).default([]),
    schedule: z.boolean().default(false),
    mcpServers: z.array(z.string().min(1).max(200)).max(200).default([]),
    builtinTools: z.array(z.string().min(1).max(200)).max(500).default([]),
    /** Imported rules (ids from pendingReview.rules) to turn on; the others stay off. */
    rules: z.array(idSchema).max(1000).default([]),
  }),
  /** The version the dialog showed; CONFLICT when the agent moved on. */
  expectedVersion: z.int().min(1).optional(),
});

export const agentSessionCountsInputSchema = z
  .strictObject({
    /** Only these agents (each answered once, 0 when it has no session); omitted: every agent that has sessions. */
    agentIds: z.array(idSchema).max(500).optional(),
  })
  .default({});

/** Sessions of an agent outside the trash (archived ones included). */
export interface AgentSessionCount {
  agentId: string;
  sessions: number;
}

export const agentChangeSchema = z.enum(['created', 'updated', 'removed', 'restored', 'purged', 'imported']);

export const agentsDomain = defineDomain({
  requests: {
    list: request(agentListInputSchema, returns<Page<Agent>>()),
    get: request(byIdSchema, returns<Agent>()),
    create: request(agentCreateSchema, returns<Agent>()),
    /** Every saved change becomes a new immutable version. */
    update: request(agentUpdateInputSchema, returns<Agent>()),
    /** Soft delete: the agent moves to the trash, its sessions are kept. */
    remove: request(byIdSchema, returns<Agent>()),
    restore: request(byIdSchema, returns<Agent>()),
    /**
     * Deletes a trashed agent for good; CONFLICT unless it is in the trash, and CONFLICT when it
     * still has sessions unless `cascade` (which deletes them and their logs too).
     */
    purge: request(z.strictObject({ id: idSchema, cascade: z.boolean().default(false) }), returns<{ id: string; sessionsDeleted: number }>()),
    duplicate: request(z.strictObject({ id: idSchema, name: z.string().trim().min(1).max(200).optional() }), returns<Agent>()),
    /** Session counts per agent from an index (never a session row), e.g. for a page of the agent list. */
    sessionCounts: request(agentSessionCountsInputSchema, returns<AgentSessionCount[]>()),
    /** All versions of an agent, newest first. */
    versions: request(byIdSchema, returns<AgentVersion[]>()),
    export: request(byIdSchema, returns<AgentExport>()),
    /**
     * Always yields a disarmed agent: permission mode at most 'ask', no paths outside the home
     * folder, read-only tools, no MCP servers, no schedule. The rest waits in `pendingReview`.
     */
    import: request(agentImportInputSchema, returns<Agent>(), { maxBytes: IMPORT_MAX_PAYLOAD_BYTES }),
    /** Arms exactly what the user accepted of an import's pendingReview and ends the review. */
    confirmImport: request(agentConfirmImportInputSchema, returns<Agent>()),
  },
  events: {
    changed: event(z.strictObject({ agentId: idSchema, change: agentChangeSchema })),
  },
});

/** The request channels this file declares (the core serves them; see src/main/ipc/handlers.ts). */
export type AgentsChannel = `agents.${keyof typeof agentsDomain.requests & string}`;
