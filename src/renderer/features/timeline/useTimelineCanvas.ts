// The timeline's canvas: its size (observed), the theme's colours (again on every switch) and
// the paint, which touches only the rows in the viewport.
import { useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import { paint, type Frame, type Palette } from './draw';
import { readPalette } from './palette';

export function usePalette(host: RefObject<HTMLElement | null>): Palette | null {
  const [palette, setPalette] = useState<Palette | null>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const update = () => setPalette(readPalette(el));
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
    return () => observer.disconnect();
  }, [host]);
  return palette;
}

export function useElementSize(host: RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const measure = () => setSize((s) => (s.width === el.clientWidth && s.height === el.clientHeight ? s : { width: el.clientWidth, height: el.clientHeight }));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [host]);
  return size;
}

/** Paints `frame` (null: not ready) whenever one of `deps` changes; records the paint's cost. */
export function useCanvasPaint(canvasRef: RefObject<HTMLCanvasElement | null>, frame: Frame | null, deps: readonly unknown[]): void {
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !frame || frame.width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(frame.width * dpr);
    const h = Math.round(frame.height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const t0 = performance.now();
    paint(ctx, frame);
    canvas.dataset.paintMs = (performance.now() - t0).toFixed(2);
  }, deps);
}
