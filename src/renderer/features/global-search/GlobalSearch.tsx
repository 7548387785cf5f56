// Search across all sessions: a sidebar button and Ctrl/Cmd+Shift+F open a command-palette
// dialog; hits are grouped by session, Up/Down move, Enter opens the hit in the panes.
// The input keeps focus (combobox + listbox with aria-activedescendant), so typing never stops.
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { useGlobalSearchStore } from './store';
import { SearchFilters } from './SearchFilters';
import { SearchResults, hitOptionId } from './SearchResults';
import { selectSearchActive, selectSearchGroups, selectSearchOpen, selectSearchQuery, selectSearchStatus, selectSearchTruncated } from './selectors';
import { flattenGroups } from './searchModel';
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
  const groups = useGlobalSearchStore(selectSearchGroups);
  const active = useGlobalSearchStore(selectSearchActive);
  const truncated = useGlobalSearchStore(selectSearchTruncated);
  const { close, setQuery, move, openHit, run } = useGlobalSearchStore.getState();
  const inputRef = useRef<HTMLInputElement>(null);
  const baseId = useId();
  const listboxId = `${baseId}-results`;

  const hits = flattenGroups(groups);
  const activeHit = active >= 0 ? hits[active] : undefined;

  useEffect(() => {
    if (active < 0) return;
    document.getElementById(hitOptionId(baseId, active))?.scrollIntoView({ block: 'nearest' });
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
            aria-activedescendant={activeHit ? hitOptionId(baseId, active) : undefined}
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
          <SearchResults baseId={baseId} listboxId={listboxId} hits={hits} query={trimmed} />
        </div>
        <p className="global-search-hints" aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
        </p>
      </div>
    </Dialog>
  );
}
