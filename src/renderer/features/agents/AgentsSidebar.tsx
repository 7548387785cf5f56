// Container for the first pane: reads the agents slice and wires the presentational pieces.
import { useEffect } from 'react';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState, SkeletonList } from '../../components/States';
import { useAgentsStore } from './store';
import { selectAgents, selectAgentsError, selectAgentsLoadingMore, selectAgentsSearch, selectAgentsStatus, selectAgentsView, selectHasMoreAgents, selectSelectedAgentId } from './selectors';
import { useAgentEditorStore } from '../agent-editor/store';
import { importPickedFile } from '../import/importFile';
import { useInterchangeStore } from '../interchange/store';
import { PaneEdge } from '../../app/PaneEdges';
import { ThemeSwitch } from '../../app/ThemeSwitch';
import { slots } from '../../app/slots';
import { AgentList } from './AgentList';
import { GlobalSearch } from '../global-search/GlobalSearch';
import { useStarterGallery } from '../starters/store';

export function AgentsSidebar() {
  const view = useAgentsStore(selectAgentsView);
  const search = useAgentsStore(selectAgentsSearch);
  const { load, setSearch, setView } = useAgentsStore.getState();
  const openCreate = useAgentEditorStore((s) => s.openCreate);

  useEffect(() => {
    if (useAgentsStore.getState().status === 'idle') void load();
  }, [load]);

  const trash = view === 'trash';

  return (
    <nav className="pane pane-agents" aria-label="Agents" data-testid="agents-pane">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="logo" size={16} />
        </span>
        <h1 className="brand-name">Paddock</h1>
        <GlobalSearch />
      </div>
      <div className="sidebar-actions">
        <div className="search-field">
          <Icon name="search" size={14} />
          <input type="search" aria-label="Search agents" placeholder="Search agents" value={search} onChange={(e) => setSearch(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && search && (e.preventDefault(), setSearch(''))} data-testid="agent-search" />
          {search ? (
            <button type="button" className="clear-button" aria-label="Clear agent search" onClick={() => setSearch('')}>
              <Icon name="x" size={12} />
            </button>
          ) : null}
        </div>
        <span className="sidebar-new">
          <Button variant="primary" icon="plus" onClick={openCreate} aria-keyshortcuts="Alt+Shift+N" data-testid="new-agent">
            New agent
          </Button>
          <Button variant="ghost" icon="sparkle" label="New agent from a starter" onClick={() => useStarterGallery.getState().show()} data-testid="open-starters" />
        </span>
      </div>
      <div className="segmented" role="group" aria-label="Show">
        <button type="button" aria-pressed={!trash} className="segmented-item" onClick={() => setView('active')}>
          Agents
        </button>
        <button type="button" aria-pressed={trash} className="segmented-item" onClick={() => setView('trash')} data-testid="trash-tab">
          <Icon name="trash" size={13} /> Trash
        </button>
      </div>
      <div className="pane-scroll">
        <AgentsBody />
      </div>
      <div className="sidebar-footer">
        <span className="sidebar-footer-group">
          <Button size="sm" variant="ghost" icon="upload" label="Import a file" onClick={() => void importPickedFile()}>
            Import
          </Button>
          {/* Icon-only: the footer also holds Import, Settings and the theme switch. */}
          <Button size="sm" variant="ghost" icon="history" label="Find histories" onClick={() => useInterchangeStore.getState().openFind()} data-testid="find-histories" />
          {slots.sidebarFooter ? <slots.sidebarFooter /> : null}
        </span>
        <ThemeSwitch />
      </div>
      <PaneEdge pane="agents" />
    </nav>
  );
}

/** The list, or what stands in for it: loading, an error, or the right empty state. */
function AgentsBody() {
  const agents = useAgentsStore(selectAgents);
  const status = useAgentsStore(selectAgentsStatus);
  const error = useAgentsStore(selectAgentsError);
  const view = useAgentsStore(selectAgentsView);
  const search = useAgentsStore(selectAgentsSearch);
  const selectedId = useAgentsStore(selectSelectedAgentId);
  const hasMore = useAgentsStore(selectHasMoreAgents);
  const loadingMore = useAgentsStore(selectAgentsLoadingMore);
  const { load, loadMore, select, restore, purge } = useAgentsStore.getState();
  const openCreate = useAgentEditorStore((s) => s.openCreate);
  const trash = view === 'trash';
  const searching = search.trim() !== '';

  let body;
  if (status === 'error') {
    body = <ErrorState title="Could not load agents" message={error} onRetry={() => void load()} testId="agents-error" />;
  } else if ((status === 'loading' || status === 'idle') && agents.length === 0) {
    body = <SkeletonList rows={6} rowHeight={52} label="Loading agents" testId="agents-loading" />;
  } else if (agents.length === 0) {
    body = trash ? (
      <EmptyState icon="trash" title="Trash is empty" testId="agents-empty">
        Deleted agents stay here until you restore them or delete them forever.
      </EmptyState>
    ) : searching ? (
      <EmptyState icon="search" title="No matching agents" testId="agents-empty">
        Nothing matches “{search.trim()}”.
      </EmptyState>
    ) : (
      <EmptyState
        icon="bot"
        title="No agents yet"
        testId="agents-empty"
        action={
          <span className="empty-actions">
            <Button variant="primary" icon="plus" onClick={openCreate}>
              Create your first agent
            </Button>
            <Button icon="sparkle" onClick={() => useStarterGallery.getState().show()} data-testid="empty-starters">
              Start from a template
            </Button>
          </span>
        }
      >
        An agent is a model with instructions, tools and permissions.
      </EmptyState>
    );
  } else {
    body = (
      <>
        <AgentList agents={agents} selectedId={selectedId} trash={trash} onSelect={select} onRestore={(id) => void restore(id)} onPurge={(id) => void purge(id)} />
        {hasMore ? (
          <div className="list-more">
            <Button size="sm" variant="ghost" busy={loadingMore} onClick={() => void loadMore()}>
              Load more
            </Button>
          </div>
        ) : null}
      </>
    );
  }

  return body;
}
