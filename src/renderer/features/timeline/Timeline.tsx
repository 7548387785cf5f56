// The session as a waterfall beside the tree: one bar per visible row (the same rows, in the
// same order, as the tree), split into phases by colour and label. Drawn on a canvas, only the
// rows on screen, so a 100,000-node session paints and pans in a few milliseconds.
// Keyboard: Up/Down move between rows, Enter reveals the row in the tree, + and - zoom,
// Left/Right pan, 0 fits the whole session.
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { LogNode } from '../../../shared/domain';
import { formatCost, formatDuration, formatTokens } from '../../lib/format';
import { totalTokens } from '../../../shared/usage';
import { useSessionViewStore } from '../session-view/store';
import { useVisibleRows } from '../session-view/useVisibleRows';
import { rowIndexOf, type VisibleRow } from '../session-view/tree/visibleRows';
import { useReplayStore } from '../replay/store';
import { PHASE_LABEL, nodeLabel, nodeSegments } from './bars';
import { AXIS_H, ROW_H } from './draw';
import { useTimelineStore } from './store';
import { TimelineToolbar } from './TimelineToolbar';
import { useCanvasPaint, useElementSize, usePalette } from './useTimelineCanvas';
import { useLiveClock, useTimeView, useTtftRequests, type Zoom } from './useTimelineView';
import { useTimelineEvents } from './useTimelineEvents';
import './timeline.css';

const HOST_LABEL =
  'Timeline of this session. Up and Down move between entries, Enter shows the entry in the tree, plus and minus zoom, Left and Right pan, 0 fits the entries on screen, W the whole run.';

export function Timeline() {
  const rows = useVisibleRows();
  const index = useSessionViewStore((s) => s.index);
  const contentVersion = useSessionViewStore((s) => s.contentVersion);
  const rollups = useSessionViewStore((s) => s.rollups);
  const activeId = useSessionViewStore((s) => s.activeId);
  const live = useSessionViewStore((s) => s.session?.status === 'running' || s.session?.status === 'waiting_for_user_input');
  const ttftVersion = useTimelineStore((s) => s.version);
  const cursorMs = useReplayStore((s) => (s.sessionId ? s.cursorMs : null));
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const palette = usePalette(scrollRef);
  const size = useElementSize(scrollRef);
  const [scrollTop, setScrollTop] = useState(0);
  const [zoom, setZoom] = useState<Zoom>(null);
  const [focusIndex, setFocusIndex] = useState(-1);
  const now = useLiveClock(live);

  const firstRow = Math.max(0, Math.floor(scrollTop / ROW_H));
  const lastRow = Math.min(rows.length - 1, firstRow + Math.ceil(size.height / ROW_H));
  const view = useTimeView({ rows, index, rollups, contentVersion, live, firstRow, lastRow, zoom }, now);
  useTtftRequests(rows, index, firstRow, lastRow, contentVersion);
  const frame = palette && view ? { rows, nodes: index.nodes, view, scrollTop, width: size.width, height: size.height, nowMs: now, activeId, focusIndex, palette, ttft: useTimelineStore.getState().ttft, cursorMs } : null;
  useCanvasPaint(canvasRef, frame, [rows, index, view, scrollTop, size, now, activeId, focusIndex, palette, ttftVersion, contentVersion, cursorMs]);
  useActiveInView(scrollRef, rows, activeId);
  const { hover, handlers } = useTimelineEvents({ scrollRef, rows, view, width: size.width, focusIndex, setFocusIndex, setZoom, setScrollTop, activeId });

  const focused = focusIndex >= 0 ? index.nodes.get(rows[focusIndex]?.id ?? '') : undefined;
  const hovered = hover ? index.nodes.get(hover.id) : undefined;
  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <TimelineToolbar view={view} zoom={zoom} setZoom={setZoom} />
      <div ref={scrollRef} className="timeline-scroll" tabIndex={0} role="group" aria-roledescription="timeline" aria-label={HOST_LABEL} aria-describedby="timeline-focused" data-testid="timeline-canvas-host" data-row-count={rows.length} {...handlers}>
        <canvas ref={canvasRef} className="timeline-canvas" style={{ width: size.width, height: size.height, marginBottom: -size.height }} aria-hidden="true" data-testid="timeline-canvas" />
        <div style={{ height: AXIS_H + rows.length * ROW_H }} aria-hidden="true" />
      </div>
      <p id="timeline-focused" className="timeline-status" aria-live="polite" data-testid="timeline-focused">
        {focused ? describe(focused, now) : 'Focus the timeline and use the arrow keys to read each entry.'}
      </p>
      {hovered && hover ? (
        <div className="timeline-tip" role="tooltip" style={{ left: Math.min(hover.x + 12, size.width - 260), top: hover.y + 40 }} data-testid="timeline-tip">
          {describe(hovered, now)}
        </div>
      ) : null}
    </section>
  );
}

/** The tree's active row is kept in view here too. */
function useActiveInView(scrollRef: RefObject<HTMLDivElement | null>, rows: readonly VisibleRow[], activeId: string | null): void {
  useEffect(() => {
    if (!activeId) return;
    const i = rowIndexOf(rows, activeId);
    const el = scrollRef.current;
    if (i < 0 || !el) return;
    const top = i * ROW_H;
    if (top < el.scrollTop || top + ROW_H > el.scrollTop + el.clientHeight - AXIS_H) el.scrollTop = Math.max(0, top - (el.clientHeight - AXIS_H) / 2);
  }, [activeId, rows, scrollRef]);
}

/** The entry in words: what it is, how long each phase took, tokens, cost, first token. */
function describe(node: LogNode, nowMs: number): string {
  const phases = nodeSegments(node, nowMs)
    .map((s) => `${PHASE_LABEL[s.phase]} ${formatDuration(s.endMs - s.startMs) || '0ms'}`)
    .join(', ');
  const parts = [`${nodeLabel(node)} — ${phases}`];
  const tokens = totalTokens(node);
  if (tokens > 0) parts.push(`${formatTokens(tokens)} tokens (${formatTokens(node.tokensIn)} in / ${formatTokens(node.tokensOut)} out)`);
  if (node.costUsd > 0) parts.push(formatCost(node.costUsd));
  const ttft = useTimelineStore.getState().ttft.get(node.id);
  if (ttft !== undefined && ttft !== null) parts.push(`first token after ${formatDuration(ttft)}`);
  return parts.join(' · ');
}
