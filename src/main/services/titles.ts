// Sessions name themselves: the first message a user sends to a session still called by the
// default name becomes its title (its first line, shortened) and its goal (the preview line the
// session list shows). Runs on the log's own events, so a start from the UI, the command line
// or the scheduler is titled alike; a session the user renamed keeps its name.
import type { LogNode } from '../../shared/domain';
import type { EventSource } from '../ipc/events';
import type { SessionsService } from './sessions';

/** The name sessions are created with when nothing better is known (repositories/sessions.ts). */
export const DEFAULT_SESSION_NAME = 'New session';
const TITLE_MAX = 60;
const GOAL_MAX = 2000;

/** The first non-empty line, collapsed and cut at a word boundary near TITLE_MAX. */
export function titleFromMessage(message: string): string | null {
  const line = message
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .find((l) => l.length > 0);
  if (!line) return null;
  if (line.length <= TITLE_MAX) return line;
  const cut = line.slice(0, TITLE_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export interface SessionTitlesDeps {
  sessions: Pick<SessionsService, 'get' | 'update'>;
  events: EventSource;
  logger: { warn: (message: string, error?: unknown) => void };
  /**
   * After a session's first answer: the agent's small model may refine the title (runtime/title/
   * refine.ts decides whether, and never throws). Runs beside the run, never before it goes on.
   */
  refine?: (sessionId: string) => Promise<void>;
}

/** A name Paddock gave the session (the default, or the first message's line), not the user's. */
export function isAutomaticName(name: string, firstMessage: string): boolean {
  return name === DEFAULT_SESSION_NAME || name === titleFromMessage(firstMessage);
}

/** Starts titling; returns the function that stops it. */
export function startSessionTitles(deps: SessionTitlesDeps): () => void {
  // One title per session per process: later messages never retitle.
  const seen = new Set<string>();
  const refined = new Set<string>();
  return deps.events((event, payload) => {
    if (event === 'sessions.statusChanged' && deps.refine) {
      const { sessionId, to } = payload as { sessionId: string; to: string };
      if (to !== 'completed' || refined.has(sessionId)) return;
      refined.add(sessionId);
      void deps.refine(sessionId).catch((error: unknown) => deps.logger.warn(`could not refine the title of session ${sessionId}`, error));
      return;
    }
    if (event !== 'logs.appended') return;
    const { sessionId, nodes } = payload as { sessionId: string; nodes: LogNode[] };
    if (seen.has(sessionId)) return;
    const first = nodes.find((n) => n.kind === 'user_message' && n.parentId === null && n.content.trim());
    if (!first) return;
    seen.add(sessionId);
    void titleSession(deps, sessionId, first.content).catch((error: unknown) => deps.logger.warn(`could not title session ${sessionId}`, error));
  });
}

async function titleSession(deps: SessionTitlesDeps, sessionId: string, message: string): Promise<void> {
  const session = await deps.sessions.get(sessionId);
  const title = titleFromMessage(message);
  const patch: { name?: string; goal?: string } = {};
  if (title && session.name === DEFAULT_SESSION_NAME) patch.name = title;
  if (session.goal === null) patch.goal = message.slice(0, GOAL_MAX);
  if (Object.keys(patch).length > 0) await deps.sessions.update({ id: sessionId, patch });
}
