// The body of the search dialog: the prompt, an error, "no matches", the spinner of a first
// page, or the hits grouped by session as the input's listbox, then "Show more" on demand.
import type { LogSearchHit } from '../../../shared/ipc';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState } from '../../components/States';
import { KIND_INFO } from '../session-view/nodePresentation';
import { useGlobalSearchStore } from './store';
import { selectSearchActive, selectSearchError, selectSearchGroups, selectSearchLoadingMore, selectSearchStatus, selectSearchTruncated } from './selectors';
import { splitSnippet } from './searchModel';

/** The DOM id of the i-th hit, which the input names as its active descendant. */
export const hitOptionId = (baseId: string, i: number) => `${baseId}-hit-${i}`;

export function SearchResults({ baseId, listboxId, hits, query }: { baseId: string; listboxId: string; hits: readonly LogSearchHit[]; query: string }) {
  const status = useGlobalSearchStore(selectSearchStatus);
  const error = useGlobalSearchStore(selectSearchError);
  const truncated = useGlobalSearchStore(selectSearchTruncated);
  const loadingMore = useGlobalSearchStore(selectSearchLoadingMore);
  const { run, more } = useGlobalSearchStore.getState();

  let body;
  if (status === 'error') {
    body = <ErrorState title="Search failed" message={error} onRetry={() => void run()} testId="global-search-error" />;
  } else if (query === '') {
    body = (
      <EmptyState icon="search" title="Search every session" testId="global-search-empty">
        Words match as prefixes; use “quotes” for a phrase.
      </EmptyState>
    );
  } else if (hits.length === 0 && status === 'done') {
    body = (
      <EmptyState icon="search" title="No matches" testId="global-search-no-results">
        Nothing in any session matches “{query}”.
      </EmptyState>
    );
  } else if (hits.length === 0) {
    body = (
      <div className="global-search-loading" data-testid="global-search-loading">
        <span className="spinner" aria-hidden="true" /> Searching…
      </div>
    );
  } else {
    body = <HitListbox baseId={baseId} listboxId={listboxId} busy={status === 'searching'} />;
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
  return (
    <>
      {body}
      {moreButton}
    </>
  );
}

function HitListbox({ baseId, listboxId, busy }: { baseId: string; listboxId: string; busy: boolean }) {
  const groups = useGlobalSearchStore(selectSearchGroups);
  const active = useGlobalSearchStore(selectSearchActive);
  const { setActive, openHit } = useGlobalSearchStore.getState();
  let index = 0;
  return (
    <div role="listbox" id={listboxId} aria-label="Matches by session" className="global-search-results" aria-busy={busy || undefined} data-testid="global-search-results">
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
              return <HitOption key={hit.nodeId} id={hitOptionId(baseId, i)} hit={hit} selected={i === active} onHover={() => setActive(i)} onOpen={() => void openHit(hit)} />;
            })}
          </div>
        );
      })}
    </div>
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
