// Presentational list of sessions: name, pin, import source, status badge (icon + text),
// tags, pinned version, when, and totals. Rows are buttons with aria-current, one tab stop,
// arrows move; each row has a "More actions" menu (its button is the list's second tab stop).
import { useRef, useState } from 'react';
import { totalTokens } from '../../../shared/usage';
import type { Session } from '../../../shared/domain';
import { SessionStatusBadge } from '../../components/StatusBadge';
import { formatCost, formatRelative, formatTokens } from '../../lib/format';
import { focusRovingItem, rovingKey } from '../../lib/rovingList';
import { PinMark, SourceBadge, TagChips } from './SessionMarks';
import { SessionRowMenu } from './SessionRowMenu';
import './sessions.css';

export interface SessionListProps {
  sessions: Session[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function SessionList({ sessions, selectedId, onSelect }: SessionListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const selectedIndex = sessions.findIndex((s) => s.id === selectedId);
  const tabRow = selectedIndex >= 0 ? selectedIndex : 0;
  return (
    <ul ref={listRef} className="session-list" aria-label="Sessions" data-testid="session-list">
      {sessions.map((session, i) => (
        <SessionRow
          key={session.id}
          session={session}
          selected={session.id === selectedId}
          tabbable={i === tabRow}
          menuOpen={menuFor === session.id}
          onMenu={(open) => setMenuFor(open ? session.id : null)}
          onSelect={() => onSelect(session.id)}
          onKeyDown={(event) => {
            const next = rovingKey(event, sessions.length, i);
            if (next === null) return;
            const target = sessions[next];
            if (target) onSelect(target.id);
            focusRovingItem(listRef.current, next);
          }}
        />
      ))}
    </ul>
  );
}

interface RowProps {
  session: Session;
  selected: boolean;
  tabbable: boolean;
  menuOpen: boolean;
  onMenu: (open: boolean) => void;
  onSelect: () => void;
  onKeyDown: (event: React.KeyboardEvent<HTMLButtonElement>) => void;
}

function SessionRow({ session, selected, tabbable, menuOpen, onMenu, onSelect, onKeyDown }: RowProps) {
  const mainRef = useRef<HTMLButtonElement>(null);
  const tokens = totalTokens(session);
  return (
    <li
      className={`session-item${selected ? ' is-selected' : ''}${session.pinnedAt ? ' is-pinned' : ''}`}
      data-testid="session-item"
      data-session-id={session.id}
      data-status={session.status}
      data-pinned={session.pinnedAt ? 'true' : undefined}
      onContextMenu={(e) => {
        e.preventDefault();
        onMenu(true);
      }}
    >
      <button
        ref={mainRef}
        type="button"
        className="session-item-main"
        data-roving
        aria-current={selected ? 'true' : undefined}
        aria-keyshortcuts="Shift+F10"
        tabIndex={tabbable ? 0 : -1}
        onClick={onSelect}
        onKeyDown={(event) => {
          if ((event.key === 'F10' && event.shiftKey) || event.key === 'ContextMenu') {
            event.preventDefault();
            onMenu(true);
            return;
          }
          onKeyDown(event);
        }}
      >
        <span className="session-item-top">
          <PinMark pinnedAt={session.pinnedAt} />
          <span className="session-item-name">{session.name || 'Untitled session'}</span>
          <SourceBadge source={session.source} />
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
          <TagChips tags={session.tags} max={3} />
        </span>
      </button>
      <SessionRowMenu session={session} open={menuOpen} onOpenChange={onMenu} anchorRef={mainRef} tabIndex={tabbable ? 0 : -1} />
    </li>
  );
}
