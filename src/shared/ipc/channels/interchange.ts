// File import and export in other formats: Markdown, AG-UI, OpenTelemetry (OTLP JSON) and
// Paddock JSON out; Claude Code, Codex CLI, AG-UI, OTLP and Paddock JSON in. Long jobs report
// progress as events keyed by a job id the caller picks, and can be cancelled by it.
import { z } from 'zod';
import { defineDomain, event, IMPORT_MAX_PAYLOAD_BYTES, request, returns } from '../define';
import { idSchema } from '../schemas';

export const INTERCHANGE_IMPORT_FORMATS = ['paddock', 'claude-code', 'codex', 'ag-ui', 'otlp'] as const;
export const INTERCHANGE_EXPORT_FORMATS = ['markdown', 'ag-ui', 'otlp', 'paddock'] as const;
export type InterchangeImportFormat = (typeof INTERCHANGE_IMPORT_FORMATS)[number];
export type InterchangeExportFormat = (typeof INTERCHANGE_EXPORT_FORMATS)[number];

const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a job id is 1-64 letters, digits, _ or -');

export interface HistoryCandidate {
  path: string;
  format: InterchangeImportFormat;
  group: string;
  bytes: number;
  modifiedAt: string;
}

export interface InterchangeImportResult {
  sessionId: string;
  agentId: string;
  format: InterchangeImportFormat;
  nodes: number;
  createdAgent: boolean;
}

export interface InterchangeExportResult {
  path: string;
  files: number;
  nodes: number;
  bytes: number;
}

export interface SessionSourceInfo {
  sessionId: string;
  format: string;
  sourceId: string | null;
  file: string | null;
  importedAt: string;
}

export const interchangeImportFileInputSchema = z.strictObject({
  jobId: jobIdSchema,
  path: z.string().min(1).max(4096),
  /** Detected from the file's first lines when absent. */
  format: z.enum(INTERCHANGE_IMPORT_FORMATS).optional(),
  allowDuplicate: z.boolean().default(false),
});

export const interchangeImportTextInputSchema = z.strictObject({
  jobId: jobIdSchema,
  fileName: z.string().max(500),
  text: z.string(),
  format: z.enum(INTERCHANGE_IMPORT_FORMATS).optional(),
  allowDuplicate: z.boolean().default(false),
});

export const interchangeExportInputSchema = z.strictObject({
  jobId: jobIdSchema,
  scope: z.union([z.strictObject({ sessionId: idSchema }), z.strictObject({ agentId: idSchema }), z.strictObject({ all: z.literal(true) })]),
  format: z.enum(INTERCHANGE_EXPORT_FORMATS),
});

export const interchangeProgressSchema = z.strictObject({
  jobId: jobIdSchema,
  kind: z.enum(['import', 'export']),
  phase: z.enum(['reading', 'writing', 'done']),
  nodes: z.number(),
  bytes: z.number(),
  totalBytes: z.number().nullable(),
  totalNodes: z.number().nullable(),
});
export type InterchangeProgress = z.output<typeof interchangeProgressSchema>;

export const interchangeDomain = defineDomain({
  requests: {
    /** Lists transcript files in other tools' usual folders (names and sizes only; nothing is opened). */
    findHistories: request(z.strictObject({}).default({}), returns<{ roots: { format: InterchangeImportFormat; path: string }[]; candidates: HistoryCandidate[] }>()),
    /** Imports one file from this machine into a new session (all or nothing). */
    importFile: request(interchangeImportFileInputSchema, returns<InterchangeImportResult>()),
    /** Imports a file the user picked in the browser, sent as text. */
    importText: request(interchangeImportTextInputSchema, returns<InterchangeImportResult>(), { maxBytes: IMPORT_MAX_PAYLOAD_BYTES }),
    /** Writes a session, an agent's sessions or all sessions to the exports folder beside the database. */
    export: request(interchangeExportInputSchema, returns<InterchangeExportResult>()),
    /** Stops a running import or export; it leaves nothing behind. False when no such job runs. */
    cancel: request(z.strictObject({ jobId: jobIdSchema }), returns<{ cancelled: boolean }>()),
    /** Where an imported session came from (null for a session Paddock ran itself). */
    source: request(z.strictObject({ sessionId: idSchema }), returns<SessionSourceInfo | null>()),
  },
  events: {
    progress: event(interchangeProgressSchema),
  },
});

export type InterchangeChannel = `interchange.${keyof typeof interchangeDomain.requests & string}`;
