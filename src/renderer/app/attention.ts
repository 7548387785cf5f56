// Attention: when a run needs the user (an approval) or ends, say so where the user looks —
// the window title counts sessions waiting for an answer ("(2) Paddock"), and, when the window
// is not in front, a desktop notification (the Web Notifications API, which Electron's renderer
// shows as a native notification too). Per agent, notifications can be turned off.
import { create } from 'zustand';
import type { SessionStatus } from '../../shared/domain';
import { api } from '../lib/api';
import { useAgentsStore } from '../features/agents/store';
import { useSessionsStore } from '../features/sessions/store';

const MUTED_KEY = 'paddock.mutedAgents';
const BASE_TITLE = 'Paddock';

interface AttentionState {
  /** Agents whose sessions never notify. */
  muted: string[];
  /** Sessions waiting for the user right now (approval needed). */
  waiting: string[];
  toggleMuted: (agentId: string) => void;
}

export const useAttention = create<AttentionState>()((set, get) => ({
  muted: readMuted(),
  waiting: [],
  toggleMuted: (agentId) => {
    const muted = get().muted.includes(agentId) ? get().muted.filter((id) => id !== agentId) : [...get().muted, agentId];
    set({ muted });
    reportMuted(muted);
    try {
      localStorage.setItem(MUTED_KEY, JSON.stringify(muted));
    } catch {
      // This run only.
    }
    // The first time notifications are wanted, the browser asks (needs this user gesture).
    if (!muted.includes(agentId)) requestPermission();
  },
}));

export const selectMuted = (agentId: string) => (s: AttentionState) => s.muted.includes(agentId);

function readMuted(): string[] {
  try {
    const raw = JSON.parse(localStorage.getItem(MUTED_KEY) ?? '[]') as unknown;
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The desktop app shows native notifications from main, which must know the per-agent switch. */
function reportMuted(muted: string[]): void {
  void api()
    .app.notifyPrefs({ mutedAgentIds: muted })
    .catch(() => undefined);
}

/** Shows a session: the agent it belongs to, then the session itself. */
function openSession(agentId: string, sessionId: string): void {
  const agents = useAgentsStore.getState();
  if (agents.selectedId !== agentId) agents.select(agentId);
  useSessionsStore.getState().select(sessionId);
}

function userJustActed(): boolean {
  // Not every engine has it (older WebKit): then only the notify switch asks.
  return (navigator.userActivation as UserActivation | undefined)?.isActive === true;
}

export function requestPermission(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

/** What a status change means for the user, or null when it is not worth a notification. */
export function attentionMessage(from: SessionStatus | null, to: SessionStatus): { title: string; kind: 'approval' | 'ended' } | null {
  if (to === 'waiting_for_user_input') return { title: 'Approval needed', kind: 'approval' };
  if (from !== 'running' && from !== 'waiting_for_user_input') return null;
  if (to === 'completed') return { title: 'Run finished', kind: 'ended' };
  if (to === 'failed') return { title: 'Run failed', kind: 'ended' };
  if (to === 'interrupted') return { title: 'Run interrupted', kind: 'ended' };
  if (to === 'budget_reached') return { title: 'Budget reached', kind: 'ended' };
  return null;
}

function updateTitle(waiting: number, sessionName: string | null): void {
  const base = sessionName ? `${sessionName} — ${BASE_TITLE}` : BASE_TITLE;
  document.title = waiting > 0 ? `(${waiting}) ${base}` : base;
}

/** Wires status events to the title and notifications; returns the cleanup. */
export function connectAttention(): () => void {
  const paddock = api();
  const offEvent = paddock.on('sessions.statusChanged', (event) => {
    const waiting = new Set(useAttention.getState().waiting);
    if (event.to === 'waiting_for_user_input') waiting.add(event.sessionId);
    else waiting.delete(event.sessionId);
    useAttention.setState({ waiting: [...waiting] });
    // A run the user just started (a click or key moments ago) is when being told later is
    // wanted: the browser asks for permission then, once, while the gesture still counts.
    if (event.to === 'running' && !useAttention.getState().muted.includes(event.agentId) && userJustActed()) requestPermission();
    const message = attentionMessage(event.from, event.to);
    if (!message || useAttention.getState().muted.includes(event.agentId)) return;
    const inFront = document.visibilityState === 'visible' && document.hasFocus();
    if (inFront || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const n = new Notification(`${message.title}: ${event.session.name}`, {
      body: message.kind === 'approval' ? 'A tool call waits for your answer.' : (event.session.error ?? event.session.result ?? '').slice(0, 200),
      tag: `paddock-${event.sessionId}`,
    });
    n.onclick = () => {
      window.focus();
      openSession(event.agentId, event.sessionId);
    };
  });
  // A desktop notification (shown by the Electron main process) was clicked.
  const offOpen = paddock.on('app.openSession', (event) => openSession(event.agentId, event.sessionId));
  reportMuted(useAttention.getState().muted);
  const offTitle = useAttention.subscribe(() => sync());
  const offSession = useSessionsStore.subscribe(() => sync());
  const sync = () => {
    const { items, selectedId } = useSessionsStore.getState();
    // Waiting sessions reported by events, and those listed as waiting when the app loaded.
    const waiting = new Set([...useAttention.getState().waiting, ...items.filter((s) => s.status === 'waiting_for_user_input').map((s) => s.id)]);
    updateTitle(waiting.size, items.find((s) => s.id === selectedId)?.name ?? null);
  };
  sync();
  return () => {
    offEvent();
    offOpen();
    offTitle();
    offSession();
  };
}
