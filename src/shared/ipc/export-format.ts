// Versioned JSON formats for agent and session export. A file carries everything needed to
// recreate the records exactly (ids, timestamps, pinned agent version, log tree, streamed
// chunks), so export -> import -> export gives the same document. Bump `version` on any
// incompatible change and keep reading the older versions.
import { z } from 'zod';
import { exportedRuleSchema } from './channels/rules';
import { agentSchema, agentVersionSchema, logChunkSchema, logNodeSchema, sessionSchema, timestampSchema } from './schemas';

export const AGENT_EXPORT_FORMAT = 'paddock.agent';
export const SESSION_EXPORT_FORMAT = 'paddock.session';
export const EXPORT_FORMAT_VERSION = 1;

/** Enough to stop a runaway file before the database sees it; 100,000-node sessions fit. */
export const MAX_IMPORT_NODES = 1_000_000;
export const MAX_IMPORT_CHUNKS = 5_000_000;

export const agentExportSchema = z.strictObject({
  format: z.literal(AGENT_EXPORT_FORMAT),
  version: z.literal(EXPORT_FORMAT_VERSION),
  exportedAt: timestampSchema,
  agent: agentSchema,
  /** Every saved version, oldest first; the last one matches `agent`. */
  versions: z.array(agentVersionSchema).min(1).max(100_000),
  /** The agent's approval rules; an import stores them turned off, for the user to review. */
  rules: z.array(exportedRuleSchema).max(1000).optional(),
});
export type AgentExport = z.infer<typeof agentExportSchema>;

export const sessionExportSchema = z.strictObject({
  format: z.literal(SESSION_EXPORT_FORMAT),
  version: z.literal(EXPORT_FORMAT_VERSION),
  exportedAt: timestampSchema,
  session: sessionSchema,
  /** The agent and the exact version the session pinned, so it can be recreated elsewhere. */
  agent: z.strictObject({
    id: z.string(),
    name: z.string(),
    pinnedVersion: agentVersionSchema,
  }),
  /** Every log node in tree order (parents before children, siblings by seq). */
  nodes: z.array(logNodeSchema).max(MAX_IMPORT_NODES),
  /** Every streamed chunk, grouped by node, in seq order: enough to replay at original pace. */
  chunks: z.array(logChunkSchema).max(MAX_IMPORT_CHUNKS),
});
export type SessionExport = z.infer<typeof sessionExportSchema>;
