// The session as a waterfall beside the tree: one bar per visible row (the same rows, in the
// same order, as the tree), split into phases by colour and label. Drawn on a canvas, only the
// rows on screen, so a 100,000-node session paints and pans in a few milliseconds.
// Keyboard: Up/Down move between rows, Enter reveals the row in the tree, + and - zoom,
// Left/Right pan, 0 fits the whole session.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { LogNode } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { formatCost, formatDuration, formatTokens } from '../../lib/format';
import { totalTokens } from '../../../shared/usage';
import { useSessionViewStore } from '../session-view/store';
import { useVisibleRows } from '../session-view/useVisibleRows';
import { rowIndexOf } from '../session-view/tree/visibleRows';
import { useReplayStore } from '../replay/store';
import { PHASE_LABEL, nodeLabel, nodeSegments, pan, rowsExtent, sessionExtent, zoomAround, type Phase, type TimeView } from './bars';
import { AXIS_H, ROW_H, msOf, paint, type Palette } from './draw';
import { readPalette } from './palette';
import { useTimelineStore } from './store';
import './timeline.css';

const LEGEND: Phase[] = ['user', 'model', 'thinking', 'writing', 'approval', 'tool', 'error'];
const LIVE_TICK_MS = 250;

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
  const [palette, setPalette] = useState<Palette | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [scrollTop, setScrollTop] = useState(0);
  const [zoom, setZoom] = useState<TimeView | 'whole' | null>(null);
  const [focusIndex, setFocusIndex] = useState(-1);
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const whole = useMemo(() => {
    const roots = (index.children.get(null) ?? []).map((id) => index.nodes.get(id)).filter((n): n is LogNode => !!n);
    return sessionExtent(roots, (id) => rollups.get(id), live ? now : 0);
  }, [index, rollups, live, now, contentVersion]);

  // Theme colours, again on every theme switch.
  useEffect(() => {
    const host = scrollRef.current;
    if (!host) return;
    const update = () => setPalette(readPalette(host));
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A live session's open bars grow with the clock.
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), LIVE_TICK_MS);
    return () => clearInterval(timer);
  }, [live]);

  const firstRow = Math.max(0, Math.floor(scrollTop / ROW_H));
  const lastRow = Math.min(rows.length - 1, firstRow + Math.ceil(size.height / ROW_H));
  // Unless zoomed, the time axis fits the rows on screen (a long run's steps would otherwise be
  // hairlines); "Whole run" fits the session.
  const onScreen = useMemo(() => {
    const shown: LogNode[] = [];
    for (let i = firstRow; i <= lastRow; i++) {
      const node = index.nodes.get(rows[i]?.id ?? '');
      if (node) shown.push(node);
    }
    return rowsExtent(shown, (id) => rollups.get(id), live ? now : 0);
  }, [rows, index, rollups, firstRow, lastRow, live, now, contentVersion]);
  const view = zoom === 'whole' ? whole : (zoom ?? onScreen ?? whole);
  useEffect(() => {
    const shown: LogNode[] = [];
    for (let i = firstRow; i <= lastRow; i++) {
      const node = index.nodes.get(rows[i]!.id);
      if (node) shown.push(node);
    }
    useTimelineStore.getState().request(shown, (id) => {
      const first = index.children.get(id)?.[0];
      const child = first ? index.nodes.get(first) : undefined;
      const t = child ? Date.parse(child.startedAt) : Number.NaN;
      return Number.isNaN(t) ? null : t;
    });
  }, [rows, index, firstRow, lastRow, contentVersion]);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !palette || !view || size.width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(size.width * dpr);
    const h = Math.round(size.height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const t0 = performance.now();
    paint(ctx, { rows, nodes: index.nodes, view, scrollTop, width: size.width, height: size.height, nowMs: now, activeId, focusIndex, palette, ttft: useTimelineStore.getState().ttft, cursorMs });
    canvas.dataset.paintMs = (performance.now() - t0).toFixed(2);
  }, [rows, index, view, scrollTop, size, now, activeId, focusIndex, palette, ttftVersion, contentVersion, cursorMs]);

  // The tree's active row is kept in view here too.
  useEffect(() => {
    if (!activeId) return;
    const i = rowIndexOf(rows, activeId);
    const el = scrollRef.current;
    if (i < 0 || !el) return;
    const top = i * ROW_H;
    if (top < el.scrollTop || top + ROW_H > el.scrollTop + el.clientHeight - AXIS_H) el.scrollTop = Math.max(0, top - (el.clientHeight - AXIS_H) / 2);
  }, [activeId, rows]);

  const rowAt = useCallback((clientY: number) => {
    const el = scrollRef.current;
    if (!el) return -1;
    const y = clientY - el.getBoundingClientRect().top - AXIS_H + el.scrollTop;
    const i = Math.floor(y / ROW_H);
    return y >= 0 && i < rows.length ? i : -1;
  }, [rows]);

  const reveal = (i: number, focusTree: boolean) => {
    const row = rows[i];
    if (!row) return;
    setFocusIndex(i);
    useSessionViewStore.getState().revealNode(row.id, focusTree);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey || !view) return;
    const el = scrollRef.current!;
    const page = Math.max(1, Math.floor((el.clientHeight - AXIS_H) / ROW_H) - 1);
    const move = (i: number) => {
      const next = Math.max(0, Math.min(rows.length - 1, i));
      setFocusIndex(next);
      const top = next * ROW_H;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_H > el.scrollTop + el.clientHeight - AXIS_H) el.scrollTop = top + ROW_H - (el.clientHeight - AXIS_H);
    };
    const center = (view.startMs + view.endMs) / 2;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(focusIndex + 1),
      ArrowUp: () => move(focusIndex - 1),
      PageDown: () => move(focusIndex + page),
      PageUp: () => move(focusIndex - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => reveal(Math.max(0, focusIndex), true),
      '+': () => setZoom(zoomAround(view, center, 0.5)),
      '=': () => setZoom(zoomAround(view, center, 0.5)),
      '-': () => setZoom(zoomAround(view, center, 2)),
      ArrowLeft: () => setZoom(pan(view, -0.2)),
      ArrowRight: () => setZoom(pan(view, 0.2)),
      '0': () => setZoom(null),
      w: () => setZoom('whole'),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const onWheel = (event: React.WheelEvent<HTMLDivElement>) => {
    if (!view) return;
    // Ctrl/Cmd+wheel (and pinch) zooms around the pointer; horizontal wheel or Shift pans.
    if (event.ctrlKey || event.metaKey) {
      const rect = event.currentTarget.getBoundingClientRect();
      const at = msOf(view, size.width, event.clientX - rect.left);
      setZoom(zoomAround(view, at, event.deltaY > 0 ? 1.25 : 0.8));
    } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
      setZoom(pan(view, (event.shiftKey ? event.deltaY : event.deltaX) / Math.max(1, size.width)));
    }
  };

  // Ctrl+wheel must not zoom the page: a native listener, because React's is passive.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const stop = (event: WheelEvent) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) event.preventDefault();
    };
    el.addEventListener('wheel', stop, { passive: false });
    return () => el.removeEventListener('wheel', stop);
  }, []);

  const focused = focusIndex >= 0 ? index.nodes.get(rows[focusIndex]?.id ?? '') : undefined;
  const hovered = hover ? index.nodes.get(hover.id) : undefined;
  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <div className="timeline-toolbar">
        <ul className="timeline-legend" aria-label="Legend">
          {LEGEND.map((phase) => (
            <li key={phase}>
              <span className={`timeline-swatch swatch-${phase}`} aria-hidden="true" />
              {PHASE_LABEL[phase]}
            </li>
          ))}
          <li>
            <span className="timeline-swatch swatch-ttft" aria-hidden="true" />
            first token
          </li>
        </ul>
        <span className="toolbar-spacer" />
        <Button size="sm" variant="ghost" icon="plus" label="Zoom in (+)" onClick={() => view && setZoom(zoomAround(view, (view.startMs + view.endMs) / 2, 0.5))} />
        <Button size="sm" variant="ghost" icon="minus" label="Zoom out (−)" onClick={() => view && setZoom(zoomAround(view, (view.startMs + view.endMs) / 2, 2))} />
        <Button size="sm" variant="ghost" onClick={() => setZoom(null)} aria-pressed={zoom === null} title="Fit the entries on screen (0)" data-testid="timeline-fit">
          Fit rows
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setZoom('whole')} aria-pressed={zoom === 'whole'} title="Fit the whole run (W)" data-testid="timeline-whole">
          Whole run
        </Button>
      </div>
      <div
        ref={scrollRef}
        className="timeline-scroll"
        tabIndex={0}
        role="group"
        aria-roledescription="timeline"
        aria-label="Timeline of this session. Up and Down move between entries, Enter shows the entry in the tree, plus and minus zoom, Left and Right pan, 0 fits the entries on screen, W the whole run."
        aria-describedby="timeline-focused"
        data-testid="timeline-canvas-host"
        data-row-count={rows.length}
        onKeyDown={onKeyDown}
        onFocus={() => focusIndex < 0 && rows.length > 0 && setFocusIndex(Math.max(0, activeId ? rowIndexOf(rows, activeId) : 0))}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        onWheel={onWheel}
        onMouseMove={(event) => {
          const i = rowAt(event.clientY);
          const rect = event.currentTarget.getBoundingClientRect();
          setHover(i >= 0 ? { id: rows[i]!.id, x: event.clientX - rect.left, y: event.clientY - rect.top } : null);
        }}
        onMouseLeave={() => setHover(null)}
        onClick={(event) => {
          const i = rowAt(event.clientY);
          if (i >= 0) reveal(i, false);
        }}
      >
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
