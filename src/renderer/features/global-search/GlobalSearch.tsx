// Search across all sessions: a sidebar button and Ctrl/Cmd+Shift+F open a command-palette
// dialog; hits are grouped by session, Up/Down move, Enter opens the hit in the panes.
// The input keeps focus (combobox + listbox with aria-activedescendant), so typing never stops.
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import type { LogSearchHit } from '../../../shared/ipc';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState } from '../../components/States';
import { KIND_INFO } from '../session-view/nodePresentation';
import { useGlobalSearchStore } from './store';
import { SearchFilters } from './SearchFilters';
import { selectSearchActive, selectSearchError, selectSearchGroups, selectSearchLoadingMore, selectSearchOpen, selectSearchQuery, selectSearchStatus, selectSearchTruncated } from './selectors';
import { flattenGroups, splitSnippet } from './searchModel';
import './globalSearch.css';

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const GLOBAL_SEARCH_SHORTCUT = IS_MAC ? '⇧⌘F' : 'Ctrl+Shift+F';

/** Sidebar entry point plus the dialog and its global shortcut; mount once. */
export function GlobalSearch() {
  const openDialog = useGlobalSearchStore((s) => s.openDialog);

  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || !event.shiftKey || event.altKey || event.key.toLowerCase() !== 'f') return;
      // Another modal (the agent editor, a confirmation) owns the keyboard while it is open.
      if (document.querySelector('dialog[open]:not([data-testid="global-search"])')) return;
      event.preventDefault();
      openDialog();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [openDialog]);

  return (
    <>
      <Button size="sm" variant="ghost" icon="search" className="global-search-open" label={`Search all sessions (${GLOBAL_SEARCH_SHORTCUT})`} onClick={openDialog} data-testid="open-global-search" />
      <GlobalSearchDialog />
    </>
  );
}

function GlobalSearchDialog() {
  const open = useGlobalSearchStore(selectSearchOpen);
  const query = useGlobalSearchStore(selectSearchQuery);
  const status = useGlobalSearchStore(selectSearchStatus);
  const error = useGlobalSearchStore(selectSearchError);
  const groups = useGlobalSearchStore(selectSearchGroups);
  const active = useGlobalSearchStore(selectSearchActive);
  const truncated = useGlobalSearchStore(selectSearchTruncated);
  const loadingMore = useGlobalSearchStore(selectSearchLoadingMore);
  const { close, setQuery, move, setActive, openHit, run, more } = useGlobalSearchStore.getState();
  const inputRef = useRef<HTMLInputElement>(null);
  const baseId = useId();
  const listboxId = `${baseId}-results`;
  const optionId = (i: number) => `${baseId}-hit-${i}`;

  const hits = flattenGroups(groups);
  const activeHit = active >= 0 ? hits[active] : undefined;

  useEffect(() => {
    if (active < 0) return;
    document.getElementById(`${baseId}-hit-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, groups, baseId]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (activeHit) void openHit(activeHit);
      else void run();
    }
  };

  const trimmed = query.trim();
  const searching = status === 'searching';
  let body;
  if (status === 'error') {
    body = <ErrorState title="Search failed" message={error} onRetry={() => void run()} testId="global-search-error" />;
  } else if (trimmed === '') {
    body = (
      <EmptyState icon="search" title="Search every session" testId="global-search-empty">
        Words match as prefixes; use “quotes” for a phrase.
      </EmptyState>
    );
  } else if (hits.length === 0 && status === 'done') {
    body = (
      <EmptyState icon="search" title="No matches" testId="global-search-no-results">
        Nothing in any session matches “{trimmed}”.
      </EmptyState>
    );
  } else if (hits.length === 0) {
    body = (
      <div className="global-search-loading" data-testid="global-search-loading">
        <span className="spinner" aria-hidden="true" /> Searching…
      </div>
    );
  } else {
    let index = 0;
    body = (
      <div role="listbox" id={listboxId} aria-label="Matches by session" className="global-search-results" aria-busy={searching || undefined} data-testid="global-search-results">
        {groups.map((group) => {
          const headingId = `${baseId}-group-${group.session.id}`;
          return (
            <div role="group" aria-labelledby={headingId} key={group.session.id} className="global-search-group" data-testid="global-search-group" data-session-id={group.session.id}>
              <div id={headingId} className="global-search-group-heading">
                <span className="global-search-session">{group.session.name}</span>
                <span className="global-search-agent">{group.session.agentName}</span>
                {group.session.archived ? <span className="global-search-tag">Archived</span> : null}
                <span className="global-search-count">
                  {group.hits.length} {group.hits.length === 1 ? 'match' : 'matches'}
                </span>
              </div>
              {group.hits.map((hit) => {
                const i = index++;
                return <HitOption key={hit.nodeId} id={optionId(i)} hit={hit} selected={i === active} onHover={() => setActive(i)} onOpen={() => void openHit(hit)} />;
              })}
            </div>
          );
        })}
      </div>
    );
  }
  // Outside the listbox (whose children must be options): the next page on demand.
  const moreButton =
    status === 'done' && truncated && hits.length > 0 ? (
      <div className="global-search-more">
        <Button size="sm" busy={loadingMore} onClick={() => void more()} data-testid="global-search-more">
          {loadingMore ? 'Loading more matches…' : 'Show more matches'}
        </Button>
      </div>
    ) : null;

  const summary =
    status === 'done' && trimmed !== ''
      ? `${hits.length}${truncated ? '+' : ''} ${hits.length === 1 ? 'match' : 'matches'} in ${groups.length} ${groups.length === 1 ? 'session' : 'sessions'}`
      : searching
        ? 'Searching…'
        : '';

  return (
    <Dialog open={open} title="Search all sessions" onRequestClose={close} size="md" testId="global-search" initialFocusRef={inputRef} headerExtra={<Button size="sm" variant="ghost" icon="x" label="Close search" onClick={close} />}>
      <div className="global-search">
        <div className="search-field global-search-field">
          <Icon name="search" size={14} />
          <input
            ref={inputRef}
            type="text"
            role="combobox"
            aria-label="Search all sessions"
            aria-expanded={hits.length > 0}
            aria-controls={hits.length > 0 ? listboxId : undefined}
            aria-activedescendant={activeHit ? optionId(active) : undefined}
            aria-autocomplete="list"
            placeholder="Search the logs of every session"
            autoComplete="off"
            spellCheck={false}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKeyDown}
            data-testid="global-search-input"
          />
          {searching ? <span className="spinner spinner-sm global-search-spinner" aria-hidden="true" /> : null}
        </div>
        <SearchFilters />
        <p className="global-search-summary" role="status" aria-live="polite" data-testid="global-search-summary">
          {summary}
        </p>
        <div className="global-search-body">
          {body}
          {moreButton}
        </div>
        <p className="global-search-hints" aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
        </p>
      </div>
    </Dialog>
  );
}

function HitOption({ id, hit, selected, onHover, onOpen }: { id: string; hit: LogSearchHit; selected: boolean; onHover: () => void; onOpen: () => void }) {
  const kind = KIND_INFO[hit.kind];
  return (
    <div
      id={id}
      role="option"
      aria-selected={selected}
      className="global-search-hit"
      onMouseMove={selected ? undefined : onHover}
      // mousedown would move focus out of the input; the click still opens the hit.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onOpen}
      data-testid="global-search-hit"
      data-node-id={hit.nodeId}
      data-session-id={hit.sessionId}
    >
      <span className={`global-search-kind kind-${hit.kind}`}>
        <Icon name={kind.icon} size={13} />
        <span>{kind.label}</span>
      </span>
      <span className="global-search-snippet">
        {splitSnippet(hit.snippet).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
      </span>
    </div>
  );
}
