// Desktop notifications, decided in plain Node so they can be tested without Electron: when a
// run needs the user (an approval) or ends, and the window is not in front, one notification
// per session and kind (repeats within a few seconds are dropped: a step with three calls asks
// three times), never for an agent the user muted. The desktop adapter only shows what this
// decides (src/main/electron/notifications.ts); clicking it asks the windows to open the session.
import type { SessionStatus } from '../../../shared/domain';
import type { EventSource } from '../../ipc/events';

export interface DesktopNotice {
  title: string;
  body: string;
  sessionId: string;
  agentId: string;
  kind: 'approval' | 'ended';
}

/** The sessions.statusChanged payload, as far as notifications read it. */
export interface StatusChange {
  sessionId: string;
  agentId: string;
  from: SessionStatus | null;
  to: SessionStatus;
  session: { name: string; error: string | null; result: string | null };
}

const BODY_MAX = 200;
/** Repeats of one kind for one session within this long are one notification. */
export const DEDUPE_MS = 10_000;

/** What a status change means for the user, or null when it is not worth a notification. */
export function noticeFor(change: StatusChange): DesktopNotice | null {
  const { sessionId, agentId, from, to, session } = change;
  const name = oneLine(session.name) || 'A session';
  if (to === 'waiting_for_user_input') return { title: `Approval needed: ${name}`, body: 'A tool call waits for your answer.', sessionId, agentId, kind: 'approval' };
  if (from !== 'running' && from !== 'waiting_for_user_input') return null;
  const outcome = to === 'completed' ? 'Run finished' : to === 'failed' ? 'Run failed' : to === 'interrupted' ? 'Run interrupted' : null;
  if (!outcome) return null;
  const detail = oneLine((to === 'failed' ? session.error : session.result) ?? '');
  return { title: `${outcome}: ${name}`, body: detail.length > BODY_MAX ? `${detail.slice(0, BODY_MAX - 1)}…` : detail, sessionId, agentId, kind: 'ended' };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The user's per-agent switch, as the windows last reported it (app.notifyPrefs). */
export class AttentionPrefs {
  private muted = new Set<string>();

  setMuted(agentIds: readonly string[]): void {
    this.muted = new Set(agentIds);
  }

  isMuted(agentId: string): boolean {
    return this.muted.has(agentId);
  }
}

export interface NotifierDeps {
  subscribe: EventSource;
  prefs: Pick<AttentionPrefs, 'isMuted'>;
  /** True while the app's window is in front: then the window itself says it. */
  isWindowFocused: () => boolean;
  show: (notice: DesktopNotice) => void;
  now?: () => number;
}

/** Starts notifying; returns the function that stops it. */
export function startDesktopNotifier(deps: NotifierDeps): () => void {
  const now = deps.now ?? Date.now;
  const last = new Map<string, number>();
  return deps.subscribe((event, payload) => {
    if (event !== 'sessions.statusChanged') return;
    const notice = noticeFor(payload as StatusChange);
    if (!notice || deps.prefs.isMuted(notice.agentId) || deps.isWindowFocused()) return;
    const key = `${notice.sessionId}:${notice.kind}`;
    const t = now();
    const before = last.get(key);
    if (before !== undefined && t - before < DEDUPE_MS) return;
    last.set(key, t);
    deps.show(notice);
  });
}
