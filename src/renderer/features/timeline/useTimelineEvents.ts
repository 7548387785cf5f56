// The timeline host's event handlers: keyboard (rows, zoom, pan), wheel, hover and click.
import { useCallback, useEffect, useState, type KeyboardEvent, type MouseEvent, type RefObject, type UIEvent, type WheelEvent } from 'react';
import { useSessionViewStore } from '../session-view/store';
import { rowIndexOf, type VisibleRow } from '../session-view/tree/visibleRows';
import type { TimeView } from './bars';
import { AXIS_H, ROW_H } from './draw';
import { timelineKey, timelineWheel } from './input';
import type { Zoom } from './useTimelineView';

interface EventsInput {
  scrollRef: RefObject<HTMLDivElement | null>;
  rows: readonly VisibleRow[];
  view: TimeView | null;
  width: number;
  focusIndex: number;
  activeId: string | null;
  setFocusIndex: (i: number) => void;
  setZoom: (zoom: Zoom) => void;
  setScrollTop: (top: number) => void;
}

export function useTimelineEvents({ scrollRef, rows, view, width, focusIndex, activeId, setFocusIndex, setZoom, setScrollTop }: EventsInput) {
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | null>(null);
  const rowAt = useCallback(
    (clientY: number) => {
      const el = scrollRef.current;
      if (!el) return -1;
      const y = clientY - el.getBoundingClientRect().top - AXIS_H + el.scrollTop;
      const i = Math.floor(y / ROW_H);
      return y >= 0 && i < rows.length ? i : -1;
    },
    [rows, scrollRef],
  );
  const reveal = (i: number, focusTree: boolean) => {
    const row = rows[i];
    if (!row) return;
    setFocusIndex(i);
    useSessionViewStore.getState().revealNode(row.id, focusTree);
  };
  useNoPageZoom(scrollRef);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey || !view) return;
    const el = event.currentTarget;
    const page = Math.max(1, Math.floor((el.clientHeight - AXIS_H) / ROW_H) - 1);
    const effect = timelineKey(event.key, view, focusIndex, rows.length, page);
    if (!effect) return;
    event.preventDefault();
    if (effect.type === 'zoom') setZoom(effect.zoom);
    else if (effect.type === 'reveal') reveal(effect.index, true);
    else {
      setFocusIndex(effect.index);
      const top = effect.index * ROW_H;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_H > el.scrollTop + el.clientHeight - AXIS_H) el.scrollTop = top + ROW_H - (el.clientHeight - AXIS_H);
    }
  };
  const onWheel = (event: WheelEvent<HTMLDivElement>) => {
    if (!view) return;
    const next = timelineWheel(event, view, width, event.clientX - event.currentTarget.getBoundingClientRect().left);
    if (next) setZoom(next);
  };
  const handlers = {
    onKeyDown,
    onWheel,
    onFocus: () => focusIndex < 0 && rows.length > 0 && setFocusIndex(Math.max(0, activeId ? rowIndexOf(rows, activeId) : 0)),
    onScroll: (event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop),
    onMouseMove: (event: MouseEvent<HTMLDivElement>) => {
      const i = rowAt(event.clientY);
      const rect = event.currentTarget.getBoundingClientRect();
      setHover(i >= 0 ? { id: rows[i]!.id, x: event.clientX - rect.left, y: event.clientY - rect.top } : null);
    },
    onMouseLeave: () => setHover(null),
    onClick: (event: MouseEvent<HTMLDivElement>) => {
      const i = rowAt(event.clientY);
      if (i >= 0) reveal(i, false);
    },
  };
  return { hover, handlers };
}

/** Ctrl+wheel must not zoom the page: a native listener, because React's is passive. */
function useNoPageZoom(scrollRef: RefObject<HTMLDivElement | null>): void {
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const stop = (event: globalThis.WheelEvent) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) event.preventDefault();
    };
    el.addEventListener('wheel', stop, { passive: false });
    return () => el.removeEventListener('wheel', stop);
  }, [scrollRef]);
}
