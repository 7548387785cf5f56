// One desktop Paddock at a time. Electron's single-instance lock turns a second launch into a
// `second-instance` event in the first, which brings its window forward; the data-folder lock
// (data-lock.ts) then also keeps out a `paddock serve` or another install using the same folder.
import type { App, BrowserWindow } from 'electron';

export type SingleInstanceApp = Pick<App, 'requestSingleInstanceLock' | 'quit'> & {
  on(event: 'second-instance', listener: () => void): unknown;
};

export type FocusableWindow = Pick<BrowserWindow, 'isMinimized' | 'restore' | 'isVisible' | 'show' | 'focus' | 'isDestroyed'>;

/** Brings a window to the front: restored if minimized, shown if hidden. */
export function bringToFront(win: FocusableWindow): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

/**
 * Returns false (and quits) when another Paddock already runs: that one is told and comes to
 * the front. Otherwise a later launch focuses our window, or opens one (`reopen`) when none is
 * open, e.g. on macOS after the last window was closed.
 */
export function claimSingleInstance(app: SingleInstanceApp, mainWindow: () => FocusableWindow | null, reopen: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const win = mainWindow();
    if (win && !win.isDestroyed()) bringToFront(win);
    else reopen();
  });
  return true;
}
