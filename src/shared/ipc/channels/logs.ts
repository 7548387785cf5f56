import { z } from 'zod';
import type { LogChunk, LogKind, LogNode, LogStatus, Page } from '../../domain';
import { defineDomain, event, request, returns } from '../define';
import { byIdSchema, cursorSchema, idSchema, logKindSchema, logNodeSchema, pageLimitSchema, timestampSchema } from '../schemas';

/** Marks around matched terms in a search snippet: control characters, so log text can never
 *  be mistaken for markup; the UI splits on them and renders <mark> itself. */
export const SNIPPET_MATCH_START = '\u0002';
export const SNIPPET_MATCH_END = '\u0003';

export interface LogSearchHit {
  nodeId: string;
  sessionId: string;
  kind: LogKind;
  status: LogStatus;
  /** Text around the match, matches wrapped in SNIPPET_MATCH_START / SNIPPET_MATCH_END. */
  snippet: string;
  /** bm25 score: lower is a better match (relevance order; 0 in newest-first and tree-order pages from the index). */
  rank: number;
}

/** Where a node sits in its session's tree order, with a logs.page cursor starting at it. */
export interface LogLocation {
  sessionId: string;
  /** 0-based position in tree order. */
  index: number;
  cursor: string;
}

export const LOG_PAGE_MAX = 1_000;
/** logs.page alone goes further: loading a huge tree in 5,000-node pages takes 20 round trips
 *  for 100,000 nodes instead of 100. */
export const LOG_PAGE_BULK_MAX = 5_000;

export const logsPageInputSchema = z.strictObject({
  sessionId: idSchema,
  limit: pageLimitSchema(LOG_PAGE_BULK_MAX, 500),
  cursor: cursorSchema,
});

/** Up to this many nodes and bytes a session can arrive whole in one logs.whole answer. */
export const LOG_WHOLE_MAX_NODES = 20_000;
export const LOG_WHOLE_MAX_BYTES = 64 * 1024 * 1024;

export const logsWholeInputSchema = z.strictObject({
  sessionId: idSchema,
  /** The whole tree only if the session has at most this many nodes… */
  maxNodes: z.int().min(1).max(LOG_WHOLE_MAX_NODES),
  /** …and their text (content, tool arguments and results, metadata) is at most this many bytes. */
  maxBytes: z.int().min(1).max(LOG_WHOLE_MAX_BYTES),
});

/** logs.whole's answer: the session's size, and every node in tree order when it is small enough. */
export interface LogWhole {
  count: number;
  /** null: over maxNodes or maxBytes; page it instead. */
  nodes: LogNode[] | null;
}

export const logsChildrenInputSchema = z.strictObject({
  sessionId: idSchema,
  /** null = the session's root nodes. */
  parentId: idSchema.nullable(),
  /** Only children after this sibling position (keyset paging). */
  afterSeq: z.int().min(0).optional(),
  limit: z.int().min(1).max(LOG_PAGE_MAX).optional(),
});

export const logsSearchInputSchema = z.strictObject({
  /** Words (each matched as a prefix) and "quoted phrases"; all must match. */
  query: z.string().trim().min(1, 'Type something to search for').max(500),
  /** Within one session, or across all sessions when absent. */
  sessionId: idSchema.optional(),
  limit: z.int().min(1).max(LOG_PAGE_MAX).default(50),
  /** 'tree' orders hits in tree order ("next match" inside a session). */
  order: z.enum(['relevance', 'tree']).default('relevance'),
});

/** Most hits one logs.searchPage answer carries. */
export const LOG_SEARCH_PAGE_MAX = 200;

export const logsSearchPageInputSchema = z.strictObject({
  /** Words (each matched as a prefix) and "quoted phrases"; all must match. */
  query: z.string().trim().min(1, 'Type something to search for').max(500),
  /** Within one session, or across every session outside the trash when absent. */
  sessionId: idSchema.optional(),
  /** 'recent': newest first; 'tree': a session's tree order (needs sessionId). */
  order: z.enum(['recent', 'tree']).default('recent'),
  limit: z.int().min(1).max(LOG_SEARCH_PAGE_MAX).default(50),
  /** nextCursor of the previous page. */
  cursor: cursorSchema,
  /** Only sessions of this agent. */
  agentId: idSchema.optional(),
  /** Only these kinds of node. */
  kinds: z.array(logKindSchema).min(1).max(10).optional(),
  /** Only nodes started at or after this time… */
  from: timestampSchema.optional(),
  /** …and before this one. */
  to: timestampSchema.optional(),
});
export type LogSearchPageInput = z.input<typeof logsSearchPageInputSchema>;

/** One change to an existing node. `textDelta` is appended to `content`; `changes` replace fields. */
export const logNodeUpdateSchema = z.strictObject({
  nodeId: idSchema,
  textDelta: z.string().optional(),
  changes: logNodeSchema.partial().omit({ id: true, sessionId: true }).optional(),
});
export type LogNodeUpdate = z.infer<typeof logNodeUpdateSchema>;

export const logsDomain = defineDomain({
  requests: {
    /** Every node of a session in tree order (parents first, siblings by seq). For big sessions use page. */
    tree: request(z.strictObject({ sessionId: idSchema }), returns<LogNode[]>()),
    /** The tree order, a page at a time (keyset cursor). */
    page: request(logsPageInputSchema, returns<Page<LogNode>>()),
    /**
     * Opening a session in one round trip: its node count, and the whole tree when it is small
     * enough (nodes and bytes), so an ordinary session needs one answer and a huge one is paged.
     */
    whole: request(logsWholeInputSchema, returns<LogWhole>()),
    /** Children of a node (or the session's roots) in sibling order. */
    children: request(logsChildrenInputSchema, returns<LogNode[]>()),
    search: request(logsSearchInputSchema, returns<LogSearchHit[]>()),
    /**
     * Search a page at a time: newest first (or a session's tree order), filtered by agent, node
     * kind and time; nextCursor asks for the next page. Its cost follows the page, not the history.
     */
    searchPage: request(logsSearchPageInputSchema, returns<Page<LogSearchHit>>()),
    /** Where a node is in tree order (jump to a search hit in a paged tree). */
    locate: request(byIdSchema, returns<LogLocation>()),
    get: request(byIdSchema, returns<LogNode>()),
    count: request(z.strictObject({ sessionId: idSchema }), returns<number>()),
    /** The streamed pieces of a node's text with their timing, for replay. */
    chunks: request(z.strictObject({ nodeId: idSchema }), returns<LogChunk[]>()),
  },
  events: {
    /** New nodes, in the order they were written. */
    appended: event(z.strictObject({ sessionId: idSchema, nodes: z.array(logNodeSchema) })),
    /** Changes to existing nodes (text growing while streaming, status, tokens...). */
    updated: event(z.strictObject({ sessionId: idSchema, updates: z.array(logNodeUpdateSchema) })),
  },
});

/** The request channels this file declares (the core serves them; see src/main/ipc/handlers.ts). */
export type LogsChannel = `logs.${keyof typeof logsDomain.requests & string}`;
