// Remembers the main window's size and position in <userData>/window-state.json. Read through
// zod (the file is outside input) and fitted to the current displays, so a window last seen on
// an unplugged monitor comes back on screen.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { z } from 'zod';
import type { Bounds } from './security';

const stateSchema = z.object({
  x: z.int().optional(),
  y: z.int().optional(),
  width: z.int().min(200).max(20_000),
  height: z.int().min(200).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof stateSchema>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function loadWindowState(file: string): WindowState {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename: a crash mid-write never leaves a truncated file behind.
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/** Keeps the saved position only if at least 100x50 px of the title area is on some display. */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): Bounds {
  const width = Math.min(state.width, Math.max(...workAreas.map((a) => a.width), 200));
  const height = Math.min(state.height, Math.max(...workAreas.map((a) => a.height), 200));
  if (state.x === undefined || state.y === undefined) return { width, height };
  const { x, y } = state;
  const visible = workAreas.some((a) => {
    const overlapX = Math.min(x + width, a.x + a.width) - Math.max(x, a.x);
    const overlapY = Math.min(y + 50, a.y + a.height) - Math.max(y, a.y);
    return overlapX >= 100 && overlapY >= 50;
  });
  return visible ? { x, y, width, height } : { width, height };
}

export type TrackedWindow = Pick<BrowserWindow, 'isDestroyed' | 'getNormalBounds' | 'isMaximized'> & {
  on(event: 'close', listener: () => void): unknown;
};

/** Saves the window's normal bounds and maximized flag when it closes (quit included). */
export function trackWindowState(win: TrackedWindow, file: string, logger: { warn?: (message: string, error?: unknown) => void }): void {
  win.on('close', () => {
    if (win.isDestroyed()) return;
    try {
      saveWindowState(file, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (error) {
      logger.warn?.('could not save the window state', error);
    }
  });
}
