// Presentational list of sessions: name, status badge (icon + text), pinned version, when,
// and totals. Rows are buttons with aria-current, one tab stop, arrows move.
import { useRef } from 'react';
import { totalTokens } from '../../../shared/usage';
import type { Session } from '../../../shared/domain';
import { SessionStatusBadge } from '../../components/StatusBadge';
import { formatCost, formatRelative, formatTokens } from '../../lib/format';
import { focusRovingItem, rovingKey } from '../../lib/rovingList';

export interface SessionListProps {
  sessions: Session[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function SessionList({ sessions, selectedId, onSelect }: SessionListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const selectedIndex = sessions.findIndex((s) => s.id === selectedId);
  const tabRow = selectedIndex >= 0 ? selectedIndex : 0;
  return (
    <ul ref={listRef} className="session-list" aria-label="Sessions" data-testid="session-list">
      {sessions.map((session, i) => {
        const selected = session.id === selectedId;
        const tokens = totalTokens(session);
        return (
          <li key={session.id} className={`session-item${selected ? ' is-selected' : ''}`} data-testid="session-item" data-session-id={session.id} data-status={session.status}>
            <button
              type="button"
              className="session-item-main"
              data-roving
              aria-current={selected ? 'true' : undefined}
              tabIndex={i === tabRow ? 0 : -1}
              onClick={() => onSelect(session.id)}
              onKeyDown={(event) => {
                const next = rovingKey(event, sessions.length, i);
                if (next === null) return;
                const target = sessions[next];
                if (target) onSelect(target.id);
                focusRovingItem(listRef.current, next);
              }}
            >
              <span className="session-item-top">
                <span className="session-item-name">{session.name || 'Untitled session'}</span>
                <SessionStatusBadge status={session.status} compact />
              </span>
              {session.goal ? (
                <span className="session-item-preview" data-testid="session-preview">
                  {session.goal.replace(/\s+/g, ' ').slice(0, 160)}
                </span>
              ) : null}
              <span className="session-item-meta">
                <span>{formatRelative(session.createdAt)}</span>
                <span aria-hidden="true">·</span>
                <span title={`Pinned agent version ${session.agentVersion}`}>v{session.agentVersion}</span>
                {tokens > 0 ? (
                  <>
                    <span aria-hidden="true">·</span>
                    <span>{formatTokens(tokens)} tokens</span>
                  </>
                ) : null}
                {session.costUsd > 0 ? (
                  <>
                    <span aria-hidden="true">·</span>
                    <span>{formatCost(session.costUsd)}</span>
                  </>
                ) : null}
                {session.archivedAt ? (
                  <>
                    <span aria-hidden="true">·</span>
                    <span>Archived</span>
                  </>
                ) : null}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
