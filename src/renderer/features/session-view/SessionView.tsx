// Container for the third pane: the selected session's header, the log toolbar (search,
// expand/collapse all, load progress) and the virtualised log tree.
import { SessionBudget } from '../controls/SessionBudget';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { SessionWithConfig } from '../../../shared/domain';
import { slots } from '../../app/slots';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState } from '../../components/States';
import { SessionStatusBadge } from '../../components/StatusBadge';
import { totalTokens } from '../../../shared/usage';
import { formatCost, formatDateTime, formatTokens } from '../../lib/format';
import { useAgentEditorStore } from '../agent-editor/store';
import { useSessionsStore } from '../sessions/store';
import { useSessionViewStore } from './store';
import { selectLoadedCount, selectLoadingRest, selectTotalCount, selectSearch, selectViewError, selectViewSession, selectViewStatus } from './selectors';
import { LogTree } from './LogTree';
import { TraceSplit, TraceToolbar } from './TraceToolbar';
import { useInterchangeStore } from '../interchange/store';

export function SessionView() {
  const sessionId = useSessionViewStore((s) => s.sessionId);
  const status = useSessionViewStore(selectViewStatus);
  const error = useSessionViewStore(selectViewError);
  const session = useSessionViewStore(selectViewSession);
  const loadedCount = useSessionViewStore(selectLoadedCount);
  const retry = useSessionViewStore((s) => s.retry);

  let content;
  if (!sessionId) {
    content = (
      <EmptyState icon="terminal" title="No session selected" testId="session-empty">
        Choose a session to see its full log: messages, thinking, tool calls and results.
      </EmptyState>
    );
  } else if (status === 'error') {
    content = <ErrorState title="Could not open this session" message={error} onRetry={retry} testId="session-error" />;
  } else {
    content = (
      <>
        {session ? <SessionHeader session={session} /> : <HeaderSkeleton />}
        <LogToolbar />
        <TraceToolbar />
        <div className="tree-region">
          {status === 'loading' ? (
            <TreeSkeleton />
          ) : loadedCount === 0 ? (
            <EmptyState icon="terminal" title="Nothing logged yet" testId="log-empty">
              Entries appear here live as the agent works.
            </EmptyState>
          ) : (
            <TraceSplit>
              <LogTree label={session ? `Log of ${session.name || 'session'}` : 'Session log'} />
            </TraceSplit>
          )}
        </div>
        {session && slots.sessionFooter ? <slots.sessionFooter session={session} /> : null}
      </>
    );
  }
  return (
    <main className="pane pane-session" aria-label="Session" data-testid="session-pane">
      {content}
    </main>
  );
}

function SessionHeader({ session }: { session: SessionWithConfig }) {
  const { exportSession, archive, unarchive, remove } = useSessionsStore.getState();
  const openVersion = () => void useAgentEditorStore.getState().openAgentHistory(session.agentId, session.agentVersion);
  const tokens = totalTokens(session);
  return (
    <header className="session-header" data-testid="session-header">
      <div className="session-header-row">
        <SessionTitle id={session.id} name={session.name} />
        <SessionStatusBadge status={session.status} />
        <SessionBudget sessionId={session.id} status={session.status} />
        <span className="toolbar-spacer" />
        {slots.sessionActions ? <slots.sessionActions session={session} /> : null}
        <Button size="sm" variant="ghost" icon="download" onClick={() => void exportSession(session.id)}>
          Export
        </Button>
        <Button size="sm" variant="ghost" icon="output" onClick={() => useInterchangeStore.getState().openExport({ sessionId: session.id, sessionName: session.name || 'Session', agentId: session.agentId, agentName: session.agentName })} data-testid="export-as">
          Export as…
        </Button>
        {session.archivedAt ? (
          <Button size="sm" variant="ghost" icon="archive" onClick={() => void unarchive(session.id)}>
            Unarchive
          </Button>
        ) : (
          <Button size="sm" variant="ghost" icon="archive" onClick={() => void archive(session.id)}>
            Archive
          </Button>
        )}
        <Button size="sm" variant="danger-ghost" icon="trash" onClick={() => void remove(session.id)}>
          Delete
        </Button>
      </div>
      <dl className="session-facts">
        <div>
          <dt>Agent</dt>
          <dd>
            {session.agentName}{' '}
            <button type="button" className="version-pill" onClick={openVersion} title="Show the agent version this session pinned" data-testid="pinned-version">
              v{session.agentVersion}
            </button>
          </dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{session.effectiveConfig.model ?? 'Default'}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd title={`${session.tokensIn.toLocaleString('en-US')} in · ${session.tokensOut.toLocaleString('en-US')} out · ${session.tokensReasoning.toLocaleString('en-US')} of them reasoning · ${session.tokensCached.toLocaleString('en-US')} cached`}>
            {formatTokens(tokens)}
            <span className="fact-sub">
              {' '}
              ({formatTokens(session.tokensIn)} in / {formatTokens(session.tokensOut)} out)
            </span>
          </dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{formatCost(session.costUsd)}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(session.createdAt)}</dd>
        </div>
      </dl>
      {session.error ? (
        <p className="notice notice-danger" role="note">
          <Icon name="alert" size={14} /> {session.error}
        </p>
      ) : null}
    </header>
  );
}

function SessionTitle({ id, name }: { id: string; name: string }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  const rename = useSessionsStore((s) => s.rename);
  const commit = () => {
    setEditing(false);
    const next = draft.trim();
    if (next && next !== name) void rename(id, next);
  };
  if (editing) {
    return (
      <input
        className="input session-title-input"
        aria-label="Session name"
        value={draft}
        autoFocus
        maxLength={500}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            setEditing(false);
          }
        }}
        data-testid="session-title-input"
      />
    );
  }
  return (
    <h2 className="session-title" data-testid="session-title">
      <button
        type="button"
        className="title-button"
        title="Rename session"
        onClick={() => {
          setDraft(name);
          setEditing(true);
        }}
      >
        {name || 'Untitled session'}
      </button>
    </h2>
  );
}

function LogToolbar() {
  const search = useSessionViewStore(selectSearch);
  const loadedCount = useSessionViewStore(selectLoadedCount);
  const loadingRest = useSessionViewStore(selectLoadingRest);
  const totalCount = useSessionViewStore(selectTotalCount);
  const { setSearchQuery, stepSearch, clearSearch, expandAll, collapseAll, runSearch } = useSessionViewStore.getState();
  const inputRef = useRef<HTMLInputElement>(null);

  // Ctrl/Cmd+F searches the open session instead of the page.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f' && !document.querySelector('dialog[open]')) {
        event.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (search.status === 'done' && search.matches.length > 0) stepSearch(event.shiftKey ? -1 : 1);
      else void runSearch();
    } else if (event.key === 'Escape' && search.query) {
      event.preventDefault();
      clearSearch();
    }
  };

  const matchText =
    search.status === 'searching'
      ? 'Searching…'
      : search.status === 'error'
        ? 'Search failed'
        : search.status === 'done'
          ? search.matches.length === 0
            ? 'No matches'
            : `${search.current + 1} of ${search.matches.length}${search.truncated ? '+' : ''}`
          : '';

  return (
    <div className="log-toolbar">
      <div className="log-search" role="search" aria-label="Search this session">
        <Icon name="search" size={14} />
        <input
          ref={inputRef}
          type="search"
          placeholder="Search in session"
          aria-label="Search in session"
          value={search.query}
          onChange={(e) => setSearchQuery(e.target.value)}
          onKeyDown={onKeyDown}
          data-testid="log-search"
        />
        {search.query ? (
          <button type="button" className="clear-button" aria-label="Clear search" onClick={() => (clearSearch(), inputRef.current?.focus())}>
            <Icon name="x" size={12} />
          </button>
        ) : null}
        <span className="log-search-count" aria-live="polite" data-testid="log-search-count">
          {matchText}
        </span>
        <Button size="sm" variant="ghost" icon="chevronUp" label="Previous match" disabled={search.matches.length === 0} onClick={() => stepSearch(-1)} />
        <Button size="sm" variant="ghost" icon="chevronDown" label="Next match" disabled={search.matches.length === 0} onClick={() => stepSearch(1)} />
      </div>
      <span className="toolbar-spacer" />
      <span className="log-count" aria-live="polite" data-testid="log-count">
        {loadingRest ? (
          <>
            <span className="spinner spinner-sm" aria-hidden="true" /> Loading {loadedCount.toLocaleString('en-US')}
            {totalCount !== null ? ` of ${totalCount.toLocaleString('en-US')}` : ''} entries…
          </>
        ) : (
          `${loadedCount.toLocaleString('en-US')} ${loadedCount === 1 ? 'entry' : 'entries'}`
        )}
      </span>
      <Button size="sm" variant="ghost" icon="expandAll" onClick={expandAll}>
        Expand all
      </Button>
      <Button size="sm" variant="ghost" icon="collapseAll" onClick={collapseAll}>
        Collapse all
      </Button>
    </div>
  );
}

function HeaderSkeleton() {
  return (
    <div className="session-header is-skeleton" role="status" aria-label="Loading session">
      <span className="skeleton skeleton-title" />
      <span className="skeleton skeleton-facts" />
    </div>
  );
}

function TreeSkeleton() {
  return (
    <div className="tree-skeleton" role="status" aria-label="Loading log">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="tree-skeleton-row" style={{ marginLeft: (i % 3) * 18 }}>
          <span className="skeleton skeleton-line" style={{ width: 120 }} />
          <span className="skeleton skeleton-line" style={{ width: `${50 + ((i * 13) % 40)}%` }} />
        </div>
      ))}
    </div>
  );
}
