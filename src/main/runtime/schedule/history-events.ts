// The run history view follows `schedules.history` instead of polling. The scheduler announces
// what it records itself (claims, missed and skipped times, failures to start); a run's start and
// end are status changes of its session, which the runtime makes, so every status change of a
// session that a scheduled run made is announced here as well (a resumed run's too).
import type { EventPayload } from '../../../shared/ipc';
import type { EventSource } from '../../ipc/events';

export type HistoryEmit = (payload: EventPayload<'schedules.history'>) => void;

export interface ScheduleHistoryDeps {
  events: EventSource;
  emit: HistoryEmit;
  /** The agent whose scheduled run made this session, or null (repositories/schedules.ts). */
  agentOfRun(sessionId: string): Promise<string | null>;
  logger?: { error(message: string, err?: unknown): void };
}

/** Forwards status changes of scheduled runs' sessions as history events; returns the unsubscribe. */
export function forwardRunStatusChanges(deps: ScheduleHistoryDeps): () => void {
  return deps.events((event, payload) => {
    if (event !== 'sessions.statusChanged') return;
    const { sessionId } = payload as EventPayload<'sessions.statusChanged'>;
    void deps.agentOfRun(sessionId).then(
      (agentId) => {
        if (agentId) deps.emit({ agentId, sessionId });
      },
      // The history shows the change at its next load; nothing else depends on this event.
      (err: unknown) => deps.logger?.error(`scheduler: could not tell whether session ${sessionId} is a scheduled run`, err),
    );
  });
}
