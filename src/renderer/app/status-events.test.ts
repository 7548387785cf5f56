// sessions.statusChanged carries the whole session: the stores take it as it is, with no
// request to main (api() is not reachable here, so a refetch would throw or hang).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Session, SessionWithConfig } from '../../shared/domain';
import { useSessionsStore } from '../features/sessions/store';
import { useSessionViewStore } from '../features/session-view/store';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:05.000Z';

const running: Session = {
  id: '01900000-0000-7000-8000-000000000010',
  agentId: '01900000-0000-7000-8000-000000000001',
  agentVersionId: '01900000-0000-7000-8000-000000000002',
  agentVersion: 1,
  parentSessionId: null,
  name: 'Run',
  goal: null,
  status: 'running',
  overrides: {},
  externalId: null,
  startedAt: T0,
  endedAt: null,
  result: null,
  error: null,
  tokensIn: 10,
  tokensOut: 5,
  tokensReasoning: 0,
  tokensCached: 0,
  costUsd: 0.01,
  archivedAt: null,
  deletedAt: null,
  createdAt: T0,
  updatedAt: T0,
};
const failed: Session = { ...running, status: 'failed', error: 'Rate limited', endedAt: T1, tokensIn: 30, updatedAt: T1 };

describe('a status event', () => {
  beforeEach(() => {
    useSessionsStore.setState({ items: [running] });
    const open = { ...running, agentName: 'Agent', effectiveConfig: { maxSteps: 5 } } as unknown as SessionWithConfig;
    useSessionViewStore.setState({ sessionId: running.id, session: open });
  });

  it('replaces the listed session with the one it carries', () => {
    useSessionsStore.getState().applyStatus(failed);
    expect(useSessionsStore.getState().items).toEqual([failed]);
  });

  it('updates the open session (error, times, totals) and keeps its agent name and config', () => {
    useSessionViewStore.getState().applyStatus(failed);
    expect(useSessionViewStore.getState().session).toMatchObject({ status: 'failed', error: 'Rate limited', endedAt: T1, tokensIn: 30, agentName: 'Agent', effectiveConfig: { maxSteps: 5 } });
  });

  it('older than what a store already holds is ignored', () => {
    useSessionsStore.setState({ items: [failed] });
    useSessionsStore.getState().applyStatus(running);
    expect(useSessionsStore.getState().items).toEqual([failed]);
  });
});
