// Connections between slices and from main's pushed events into the slices. Kept out of
// components so that selection changes and live updates work the same whatever is on screen.
import { api } from '../lib/api';
import { getConnectionState, onConnectionStateChange, onDatabaseBusyChange } from '../ipc';
import { useUiStore } from '../state/ui';
import { useAgentsStore } from '../features/agents/store';
import { useSessionsStore } from '../features/sessions/store';
import { useSessionViewStore } from '../features/session-view/store';
import { onUsageRefresh } from '../features/usage/connect';
import { useInterchangeStore } from '../features/interchange/store';

const LAST_AGENT = 'paddock.lastAgent';
const LAST_SESSION = 'paddock.lastSession';

export function connectStores(): () => void {
  const cleanups: Array<() => void> = [];

  // Restore the last selection after a reload or restart.
  const lastAgent = readLocal(LAST_AGENT);
  const lastSession = readLocal(LAST_SESSION);
  if (lastAgent) useAgentsStore.setState({ selectedId: lastAgent });

  cleanups.push(
    useAgentsStore.subscribe((state, previous) => {
      if (state.selectedId === previous.selectedId) return;
      writeLocal(LAST_AGENT, state.selectedId);
      useSessionsStore.getState().setAgent(state.selectedId);
    }),
  );
  if (lastAgent) useSessionsStore.getState().setAgent(lastAgent);

  let restoreSession = lastSession;
  cleanups.push(
    useSessionsStore.subscribe((state, previous) => {
      if (restoreSession && state.items !== previous.items && state.selectedId === null && state.items.some((s) => s.id === restoreSession)) {
        const id = restoreSession;
        restoreSession = null;
        useSessionsStore.getState().select(id);
        return;
      }
      if (state.status === 'ready') restoreSession = null;
      if (state.selectedId === previous.selectedId) return;
      writeLocal(LAST_SESSION, state.selectedId);
      useSessionViewStore.getState().open(state.selectedId);
    }),
  );

  const paddock = api();
  cleanups.push(
    paddock.on('interchange.progress', (event) => useInterchangeStore.getState().applyProgress(event)),
    paddock.on('logs.appended', (event) => useSessionViewStore.getState().applyAppended(event.sessionId, event.nodes)),
    paddock.on('logs.updated', (event) => useSessionViewStore.getState().applyUpdated(event.sessionId, event.updates)),
    paddock.on('sessions.statusChanged', (event) => {
      useSessionsStore.getState().applyStatus(event.session);
      useSessionViewStore.getState().applyStatus(event.session);
    }),
    paddock.on('sessions.changed', (event) => {
      if (event.agentId !== useSessionsStore.getState().agentId) return;
      void useSessionsStore.getState().refreshOne(event.sessionId);
      if (event.sessionId === useSessionViewStore.getState().sessionId) void useSessionViewStore.getState().refreshSession();
    }),
    // Usage recorded per model call: the list and the header show it live (see liveUsage.ts).
    onUsageRefresh(paddock),
    paddock.on('agents.changed', (event) => {
      void useAgentsStore.getState().refreshOne(event.agentId);
    }),
  );

  // The browser host's socket can drop (host restarted, laptop slept). Events missed meanwhile
  // are recovered by reloading what is on screen once it is back.
  let wasOpen = getConnectionState() === 'open';
  useUiStore.getState().setConnection(getConnectionState());
  cleanups.push(
    onConnectionStateChange((state) => {
      useUiStore.getState().setConnection(state);
      if (state !== 'open') return;
      if (wasOpen) {
        void useAgentsStore.getState().load();
        void useSessionsStore.getState().load();
        useSessionViewStore.getState().retry();
      }
      wasOpen = true;
    }),
  );

  cleanups.push(
    onDatabaseBusyChange((busy) => useUiStore.getState().setDatabaseBusy(busy)),
    paddock.on('app.storageProblem', ({ problem }) => useUiStore.getState().setStorageProblem(problem)),
  );

  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}

function readLocal(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeLocal(key: string, value: string | null): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Remembering the selection is a convenience; ignore storage failures.
  }
}
