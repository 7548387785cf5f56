// What time span the timeline shows: the rows on screen (default), the whole run, or a zoomed
// window the reader chose; and the clock a live session's open bars grow with.
import { useEffect, useMemo, useState } from 'react';
import type { LogNode } from '../../../shared/domain';
import type { TreeIndex } from '../session-view/tree/treeIndex';
import type { VisibleRow } from '../session-view/tree/visibleRows';
import type { Totals } from '../session-view/tree/rollups';
import { rowsExtent, sessionExtent, type TimeView } from './bars';
import { useTimelineStore } from './store';

const LIVE_TICK_MS = 250;

export type Zoom = TimeView | 'whole' | null;

interface ViewInput {
  rows: readonly VisibleRow[];
  index: TreeIndex;
  rollups: ReadonlyMap<string, Totals>;
  contentVersion: number;
  live: boolean;
  firstRow: number;
  lastRow: number;
  zoom: Zoom;
}

/** Now, ticking while the session is live (0 when it is not: closed bars do not move). */
export function useLiveClock(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), LIVE_TICK_MS);
    return () => clearInterval(timer);
  }, [live]);
  return now;
}

function nodesOf(rows: readonly VisibleRow[], index: TreeIndex, firstRow: number, lastRow: number): LogNode[] {
  const shown: LogNode[] = [];
  for (let i = firstRow; i <= lastRow; i++) {
    const node = index.nodes.get(rows[i]?.id ?? '');
    if (node) shown.push(node);
  }
  return shown;
}

export function useTimeView({ rows, index, rollups, contentVersion, live, firstRow, lastRow, zoom }: ViewInput, now: number): TimeView | null {
  const clock = live ? now : 0;
  const rollupOf = (id: string) => rollups.get(id);
  // Only what the current mode needs is computed: the whole run from the top-level nodes and
  // their subtree totals, the rows on screen from those rows alone.
  const whole = useMemo(() => {
    if (zoom !== 'whole' && zoom !== null) return null;
    const roots = (index.children.get(null) ?? []).map((id) => index.nodes.get(id)).filter((n): n is LogNode => !!n);
    return sessionExtent(roots, rollupOf, clock);
    // The index is mutable: contentVersion says when it changed.
  }, [index, rollups, clock, contentVersion, zoom === 'whole' || zoom === null]);
  const onScreen = useMemo(() => {
    if (zoom !== null) return null;
    return rowsExtent(nodesOf(rows, index, firstRow, lastRow), rollupOf, clock);

  }, [rows, index, rollups, firstRow, lastRow, clock, contentVersion, zoom === null]);
  // Unless zoomed, the time axis fits the rows on screen (a long run's steps would otherwise be
  // hairlines); "Whole run" fits the session.
  return zoom === 'whole' ? whole : (zoom ?? onScreen ?? whole);
}

/** Time to first token for the model calls on screen, fetched once each. */
export function useTtftRequests(rows: readonly VisibleRow[], index: TreeIndex, firstRow: number, lastRow: number, contentVersion: number): void {
  useEffect(() => {
    useTimelineStore.getState().request(nodesOf(rows, index, firstRow, lastRow), (id) => {
      const first = index.children.get(id)?.[0];
      const child = first ? index.nodes.get(first) : undefined;
      const t = child ? Date.parse(child.startedAt) : Number.NaN;
      return Number.isNaN(t) ? null : t;
    });
  }, [rows, index, firstRow, lastRow, contentVersion]);
}
