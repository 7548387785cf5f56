// The desktop side of notifications: shows what runtime/notify/attention.ts decided as a native
// notification, and a click brings the window to the front and opens the session (the windows
// get app.openSession). The decisions (what, when, dedupe, the per-agent switch) are not here.
import { Notification, type BrowserWindow } from 'electron';
import type { EventBus } from '../ipc/events';
import { startDesktopNotifier, type AttentionPrefs } from '../runtime/notify/attention';
import type { EventSource } from '../ipc/events';

export interface NativeNotificationDeps {
  subscribe: EventSource;
  events: Pick<EventBus, 'emit'>;
  prefs: AttentionPrefs;
  window: () => BrowserWindow | null;
  iconPath?: string;
}

/** Starts native notifications; returns the function that stops them. */
export function startNativeNotifications(deps: NativeNotificationDeps): () => void {
  if (!Notification.isSupported()) return () => undefined;
  // Held until closed or clicked: a notification that is garbage-collected loses its click handler.
  const live = new Set<Notification>();
  const stop = startDesktopNotifier({
    subscribe: deps.subscribe,
    prefs: deps.prefs,
    isWindowFocused: () => {
      const win = deps.window();
      return Boolean(win && !win.isDestroyed() && win.isFocused() && win.isVisible());
    },
    show: (notice) => {
      const note = new Notification({ title: notice.title, body: notice.body, ...(deps.iconPath ? { icon: deps.iconPath } : {}) });
      live.add(note);
      note.on('close', () => live.delete(note));
      note.on('click', () => {
        live.delete(note);
        const win = deps.window();
        if (win && !win.isDestroyed()) {
          if (win.isMinimized()) win.restore();
          win.show();
          win.focus();
        }
        deps.events.emit('app.openSession', { sessionId: notice.sessionId, agentId: notice.agentId });
      });
      note.show();
    },
  });
  return () => {
    stop();
    for (const note of live) note.close();
    live.clear();
  };
}
