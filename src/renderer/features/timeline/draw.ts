// Paints the visible slice of the timeline on a canvas: the label column, the time axis and one
// bar per row. Only rows inside the viewport are touched, so the cost of a frame does not grow
// with the session (100,000 rows paint like 30).
import type { LogNode } from '../../../shared/domain';
import type { VisibleRow } from '../session-view/tree/visibleRows';
import { PHASE_LABEL, nodeLabel, nodeSegments, tickStep, type Phase, type TimeView } from './bars';

export const ROW_H = 22;
export const AXIS_H = 22;
export const LABEL_W = 200;
const INDENT = 10;

export type Palette = Record<Phase | 'text' | 'muted' | 'grid' | 'active' | 'bg' | 'cursor' | 'focus', string>;

export interface Frame {
  rows: readonly VisibleRow[];
  nodes: ReadonlyMap<string, LogNode>;
  view: TimeView;
  scrollTop: number;
  width: number;
  height: number;
  nowMs: number;
  activeId: string | null;
  focusIndex: number;
  palette: Palette;
  /** Time to first token per model node (ms after its start). */
  ttft: ReadonlyMap<string, number | null>;
  /** Replay position, drawn as a vertical line. */
  cursorMs: number | null;
}

export function xOf(view: TimeView, width: number, ms: number): number {
  const plot = Math.max(1, width - LABEL_W);
  return LABEL_W + ((ms - view.startMs) / Math.max(1, view.endMs - view.startMs)) * plot;
}

export function msOf(view: TimeView, width: number, x: number): number {
  const plot = Math.max(1, width - LABEL_W);
  return view.startMs + ((x - LABEL_W) / plot) * (view.endMs - view.startMs);
}

export function paint(ctx: CanvasRenderingContext2D, f: Frame): void {
  const { width, height, palette } = f;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = palette.bg;
  ctx.fillRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const first = Math.max(0, Math.floor(f.scrollTop / ROW_H));
  const last = Math.min(f.rows.length - 1, Math.ceil((f.scrollTop + height - AXIS_H) / ROW_H));
  paintGrid(ctx, f);
  for (let i = first; i <= last; i++) paintRow(ctx, f, i, AXIS_H + i * ROW_H - f.scrollTop);
  paintAxis(ctx, f);
  if (f.cursorMs !== null) {
    const x = xOf(f.view, width, f.cursorMs);
    ctx.fillStyle = palette.cursor;
    ctx.fillRect(Math.round(x) - 1, 0, 2, height);
  }
}

function paintGrid(ctx: CanvasRenderingContext2D, f: Frame): void {
  const step = tickStep(f.view.endMs - f.view.startMs);
  ctx.fillStyle = f.palette.grid;
  for (let t = Math.ceil((f.view.startMs - originOf(f)) / step) * step + originOf(f); t <= f.view.endMs; t += step) {
    const x = Math.round(xOf(f.view, f.width, t));
    if (x >= LABEL_W) ctx.fillRect(x, AXIS_H, 1, f.height - AXIS_H);
  }
  ctx.fillRect(LABEL_W - 1, 0, 1, f.height);
}

/** Axis labels count from the session's first node. */
function originOf(f: Frame): number {
  const first = f.rows[0] ? f.nodes.get(f.rows[0].id) : undefined;
  const t = first ? Date.parse(first.startedAt) : f.view.startMs;
  return Number.isNaN(t) ? f.view.startMs : t;
}

function paintAxis(ctx: CanvasRenderingContext2D, f: Frame): void {
  const { palette, view, width } = f;
  ctx.fillStyle = palette.bg;
  ctx.fillRect(0, 0, width, AXIS_H);
  ctx.fillStyle = palette.grid;
  ctx.fillRect(0, AXIS_H - 1, width, 1);
  const origin = originOf(f);
  const step = tickStep(view.endMs - view.startMs);
  ctx.fillStyle = palette.muted;
  ctx.fillText('Entry', 8, AXIS_H / 2);
  for (let t = Math.ceil((view.startMs - origin) / step) * step + origin; t <= view.endMs; t += step) {
    const x = xOf(view, width, t);
    if (x < LABEL_W + 2) continue;
    ctx.fillText(formatOffset(t - origin), x + 3, AXIS_H / 2);
  }
}

export function formatOffset(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)}ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(abs < 10_000 ? 1 : 0)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${Math.round((ms % 60_000) / 1000)}s`;
}

function paintRow(ctx: CanvasRenderingContext2D, f: Frame, i: number, y: number): void {
  const row = f.rows[i]!;
  const node = f.nodes.get(row.id);
  if (!node) return;
  const { palette } = f;
  if (row.id === f.activeId) {
    ctx.fillStyle = palette.active;
    ctx.fillRect(0, y, f.width, ROW_H);
  }
  if (i === f.focusIndex) {
    ctx.strokeStyle = palette.focus;
    ctx.lineWidth = 2;
    ctx.strokeRect(1, y + 1, f.width - 2, ROW_H - 2);
  }
  const indent = Math.min(row.level - 1, 12) * INDENT;
  ctx.fillStyle = palette.text;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, y, LABEL_W - 6, ROW_H);
  ctx.clip();
  ctx.fillText(nodeLabel(node), 8 + indent, y + ROW_H / 2);
  ctx.restore();
  for (const seg of nodeSegments(node, f.nowMs)) {
    const x0 = Math.max(LABEL_W, xOf(f.view, f.width, seg.startMs));
    const x1 = Math.min(f.width, xOf(f.view, f.width, seg.endMs));
    if (x1 < LABEL_W || x0 > f.width) continue;
    const w = Math.max(2, x1 - x0);
    ctx.fillStyle = palette[seg.phase];
    ctx.fillRect(x0, y + 4, w, ROW_H - 8);
    // The phase in words when it fits: colour is never the only cue.
    if (w > 90) {
      ctx.fillStyle = palette.bg;
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, y, w, ROW_H);
      ctx.clip();
      ctx.fillText(PHASE_LABEL[seg.phase], x0 + 4, y + ROW_H / 2);
      ctx.restore();
    }
  }
  const ttft = f.ttft.get(node.id);
  if (ttft !== undefined && ttft !== null) {
    const x = xOf(f.view, f.width, Date.parse(node.startedAt) + ttft);
    if (x >= LABEL_W) {
      ctx.fillStyle = palette.text;
      ctx.fillRect(Math.round(x), y + 2, 2, ROW_H - 4);
    }
  }
}
