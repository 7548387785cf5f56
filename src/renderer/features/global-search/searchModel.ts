// Pure pieces of search across sessions: splitting a marked snippet into text and matches,
// grouping hits by session, moving the keyboard selection, and the page request of a search
// with its filters. No React, no IPC.
import type { LogKind } from '../../../shared/domain';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START, type LogSearchHit } from '../../../shared/ipc';

export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * The snippet as plain-text parts. The markers are control characters, never markup, so the
 * UI renders each part as text (a <mark> for matches): nothing in a log can inject HTML.
 * An unbalanced marker (a snippet cut inside a match) just ends or starts a match.
 */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  let text = '';
  const flush = () => {
    if (text === '') return;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += text;
    else parts.push({ text, match });
    text = '';
  };
  for (const char of snippet) {
    if (char === SNIPPET_MATCH_START || char === SNIPPET_MATCH_END) {
      flush();
      match = char === SNIPPET_MATCH_START;
    } else {
      text += char;
    }
  }
  flush();
  return parts;
}

/** What the dialog shows about a session; null when the session is gone or deleted. */
export interface SessionLabel {
  id: string;
  name: string;
  agentId: string;
  agentName: string;
  archived: boolean;
}

export interface HitGroup {
  session: SessionLabel;
  hits: LogSearchHit[];
}

/**
 * Hits grouped by session, groups in the order of their best hit (hits arrive best first),
 * hits inside a group in arrival order. Hits of sessions that are missing or deleted (label
 * null or unknown) are left out: they cannot be opened.
 */
export function groupHits(hits: readonly LogSearchHit[], labels: ReadonlyMap<string, SessionLabel | null>): HitGroup[] {
  const groups = new Map<string, HitGroup>();
  for (const hit of hits) {
    const session = labels.get(hit.sessionId);
    if (!session) continue;
    let group = groups.get(hit.sessionId);
    if (!group) {
      group = { session, hits: [] };
      groups.set(hit.sessionId, group);
    }
    group.hits.push(hit);
  }
  return [...groups.values()];
}

/** The hits of all groups in display order: what Up / Down walk through. */
export function flattenGroups(groups: readonly HitGroup[]): LogSearchHit[] {
  return groups.flatMap((g) => g.hits);
}

/** Next selection for Up (-1) / Down (+1), wrapping; -1 when there is nothing to select. */
export function moveSelection(current: number, count: number, direction: 1 | -1): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}

/** Hits per page: the first answer stays quick on a large history; "Show more" asks for the next. */
export const PAGE_SIZE = 50;

/** How far back "When" looks: any time, or the past day / week / month. */
export type SearchWhen = 'any' | 'day' | 'week' | 'month';
const WHEN_MS: Record<Exclude<SearchWhen, 'any'>, number> = { day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000 };

export interface SearchFilters {
  agentId: string | null;
  kind: LogKind | null;
  when: SearchWhen;
}

export const NO_FILTERS: SearchFilters = { agentId: null, kind: null, when: 'any' };

/** The logs.searchPage request for a query, the filters and a page cursor. */
export function pageRequest(query: string, filters: SearchFilters, cursor: string | null, now = Date.now()) {
  return {
    query,
    order: 'recent' as const,
    limit: PAGE_SIZE,
    cursor,
    ...(filters.agentId ? { agentId: filters.agentId } : {}),
    ...(filters.kind ? { kinds: [filters.kind] } : {}),
    ...(filters.when === 'any' ? {} : { from: new Date(now - WHEN_MS[filters.when]).toISOString() }),
  };
}

