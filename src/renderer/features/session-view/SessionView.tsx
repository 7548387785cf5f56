// Container for the third pane: the selected session's header, the log toolbar (search,
// expand/collapse all, load progress) and the virtualised log tree.
import { useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';
import { slots } from '../../app/slots';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState } from '../../components/States';
import { useSessionViewStore } from './store';
import { selectLoadedCount, selectLoadingRest, selectTotalCount, selectSearch, selectViewError, selectViewSession, selectViewStatus } from './selectors';
import { LogTree } from './LogTree';
import { SessionHeader } from './SessionHeader';
import { TraceSplit, TraceToolbar } from './TraceToolbar';
import { PendingApprovalJump } from './PendingApprovalJump';

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
          <PendingApprovalJump />
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

function LogToolbar() {
  const search = useSessionViewStore(selectSearch);
  const { setSearchQuery, stepSearch, clearSearch, expandAll, collapseAll, runSearch } = useSessionViewStore.getState();
  const inputRef = useRef<HTMLInputElement>(null);
  useFindShortcut(inputRef);

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
          {matchText(search)}
        </span>
        <Button size="sm" variant="ghost" icon="chevronUp" label="Previous match" disabled={search.matches.length === 0} onClick={() => stepSearch(-1)} />
        <Button size="sm" variant="ghost" icon="chevronDown" label="Next match" disabled={search.matches.length === 0} onClick={() => stepSearch(1)} />
      </div>
      <span className="toolbar-spacer" />
      <LogCount />
      <Button size="sm" variant="ghost" icon="expandAll" title="Expand all" onClick={expandAll}>
        Expand all
      </Button>
      <Button size="sm" variant="ghost" icon="collapseAll" title="Collapse all" onClick={collapseAll}>
        Collapse all
      </Button>
    </div>
  );
}

/** Ctrl/Cmd+F searches the open session instead of the page. */
function useFindShortcut(inputRef: RefObject<HTMLInputElement | null>) {
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
  }, [inputRef]);
}

function matchText(search: ReturnType<typeof selectSearch>): string {
  return search.status === 'searching'
    ? 'Searching…'
    : search.status === 'error'
      ? 'Search failed'
      : search.status === 'done'
        ? search.matches.length === 0
          ? 'No matches'
          : `${search.current + 1} of ${search.matches.length}${search.truncated ? '+' : ''}`
        : '';
}

/** How many entries the log holds, or how far loading has got. */
function LogCount() {
  const loadedCount = useSessionViewStore(selectLoadedCount);
  const loadingRest = useSessionViewStore(selectLoadingRest);
  const totalCount = useSessionViewStore(selectTotalCount);
  return (
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
