// The timeline's keyboard and wheel: moving between rows, zooming and panning. Pure mappings
// from an input to what changes; the component applies them.
import { msOf } from './draw';
import { pan, zoomAround, type TimeView } from './bars';
import type { Zoom } from './useTimelineView';

export type KeyEffect = { type: 'move'; index: number } | { type: 'reveal'; index: number } | { type: 'zoom'; zoom: Zoom } | null;

/** What a key does, given the focused row, the row count and the rows per page. */
export function timelineKey(key: string, view: TimeView, focusIndex: number, rowCount: number, page: number): KeyEffect {
  const center = (view.startMs + view.endMs) / 2;
  const move = (index: number): KeyEffect => ({ type: 'move', index: Math.max(0, Math.min(rowCount - 1, index)) });
  const zoom = (next: Zoom): KeyEffect => ({ type: 'zoom', zoom: next });
  switch (key) {
    case 'ArrowDown':
      return move(focusIndex + 1);
    case 'ArrowUp':
      return move(focusIndex - 1);
    case 'PageDown':
      return move(focusIndex + page);
    case 'PageUp':
      return move(focusIndex - page);
    case 'Home':
      return move(0);
    case 'End':
      return move(rowCount - 1);
    case 'Enter':
      return { type: 'reveal', index: Math.max(0, focusIndex) };
    case '+':
    case '=':
      return zoom(zoomAround(view, center, 0.5));
    case '-':
      return zoom(zoomAround(view, center, 2));
    case 'ArrowLeft':
      return zoom(pan(view, -0.2));
    case 'ArrowRight':
      return zoom(pan(view, 0.2));
    case '0':
      return zoom(null);
    case 'w':
      return zoom('whole');
    default:
      return null;
  }
}

/** Ctrl/Cmd+wheel (and pinch) zooms around the pointer; horizontal wheel or Shift pans. */
export function timelineWheel(
  event: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; deltaX: number; deltaY: number },
  view: TimeView,
  width: number,
  /** The pointer's x in the timeline. */
  x: number,
): TimeView | null {
  if (event.ctrlKey || event.metaKey) return zoomAround(view, msOf(view, width, x), event.deltaY > 0 ? 1.25 : 0.8);
  if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) return pan(view, (event.shiftKey ? event.deltaY : event.deltaX) / Math.max(1, width));
  return null;
}
