// Subscribes the sessions list and the session header to usage events (see liveUsage.ts).
import type { PaddockApi } from '../../lib/api';
import { useSessionsStore } from '../sessions/store';
import { useSessionViewStore } from '../session-view/store';
import { throttledPerKey } from './liveUsage';

export function onUsageRefresh(paddock: PaddockApi): () => void {
  const refresh = throttledPerKey((sessionId) => {
    if (useSessionsStore.getState().items.some((s) => s.id === sessionId)) void useSessionsStore.getState().refreshOne(sessionId);
    if (useSessionViewStore.getState().sessionId === sessionId) void useSessionViewStore.getState().refreshSession();
  });
  const off = paddock.on('sessions.usage', (event) => refresh.push(event.sessionId));
  return () => (off(), refresh.stop());
}
