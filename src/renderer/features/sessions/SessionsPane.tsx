// Container for the second pane: the selected agent's header and actions, and its sessions
// with status filter, sort, archive switch and keyset "Load more".
import { PaneEdge } from '../../app/PaneEdges';
import { SESSION_STATUSES, type Agent, type SessionStatus } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { EmptyState, ErrorState, SkeletonList } from '../../components/States';
import { SESSION_STATUS_INFO } from '../../components/StatusBadge';
import { useAgentsStore } from '../agents/store';
import { selectSelectedAgent } from '../agents/selectors';
import { useAgentEditorStore } from '../agent-editor/store';
import { importPickedFile } from '../import/importFile';
import { useSessionsStore, type SessionSort, type SortOrder } from './store';
import { selectArchivedFilter, selectHasMoreSessions, selectSelectedSessionId, selectSessionOrder, selectSessionSort, selectSessions, selectSessionsError, selectSessionsLoadingMore, selectSessionsStatus, selectStatusFilter } from './selectors';
import { AgentAvatar } from '../agents/AgentAvatar';
import { SessionList } from './SessionList';
import { TagFilter } from './TagFilter';
import { ModelName } from '../runtime/ModelName';
import { selectConnectionLost, useUiStore } from '../../state/ui';
import { selectMuted, useAttention } from '../../app/attention';

const SORTS: ReadonlyArray<{ id: string; label: string; sort: SessionSort; order: SortOrder }> = [
  { id: 'createdAt-desc', label: 'Newest first', sort: 'createdAt', order: 'desc' },
  { id: 'createdAt-asc', label: 'Oldest first', sort: 'createdAt', order: 'asc' },
  { id: 'updatedAt-desc', label: 'Recently active', sort: 'updatedAt', order: 'desc' },
  { id: 'name-asc', label: 'Name A–Z', sort: 'name', order: 'asc' },
  { id: 'status-asc', label: 'Status', sort: 'status', order: 'asc' },
];

export function SessionsPane() {
  const agent = useAgentsStore(selectSelectedAgent);
  if (!agent) {
    return (
      <section className="pane pane-sessions" aria-label="Sessions" data-testid="sessions-pane">
        <EmptyState icon="bot" title="No agent selected">
          Pick an agent on the left to see its sessions.
        </EmptyState>
        <PaneEdge pane="sessions" />
      </section>
    );
  }
  return (
    <section className="pane pane-sessions" aria-label={`Sessions of ${agent.name}`} data-testid="sessions-pane">
      <AgentHeader agent={agent} />
      <SessionsBody agent={agent} />
      <PaneEdge pane="sessions" />
    </section>
  );
}

function AgentHeader({ agent }: { agent: Agent }) {
  const { duplicate, exportAgent, remove, restore, purge } = useAgentsStore.getState();
  const openEdit = useAgentEditorStore((s) => s.openEdit);
  const trashed = agent.deletedAt !== null;
  return (
    <header className="agent-header" data-testid="agent-header">
      <div className="agent-header-title">
        <AgentAvatar id={agent.id} name={agent.name} avatar={agent.avatar} size={36} />
        <div className="agent-header-text">
          <h2 className="agent-header-name" data-testid="agent-name">
            {agent.name}
          </h2>
          <p className="agent-header-meta">
            <button type="button" className="link-button" onClick={() => openEdit(agent, { tab: 'history' })} title="Show version history">
              Version {agent.version}
            </button>
            <span aria-hidden="true">·</span>
            <span><ModelName modelRef={agent.model} /></span>
            <span aria-hidden="true">·</span>
            <span className="agent-header-meta-last">{permissionLabel(agent.permissionMode)}</span>
          </p>
        </div>
      </div>
      {agent.description ? <p className="agent-header-description">{agent.description}</p> : null}
      {trashed ? (
        <div className="notice notice-warning" role="status">
          <span>This agent is in the trash. Its sessions are kept.</span>
          <span className="notice-actions">
            <Button size="sm" icon="restore" onClick={() => void restore(agent.id)}>
              Restore
            </Button>
            <Button size="sm" variant="danger-ghost" icon="trash" onClick={() => void purge(agent.id)}>
              Delete forever
            </Button>
          </span>
        </div>
      ) : (
        <div className="toolbar" role="toolbar" aria-label="Agent actions">
          <Button size="sm" variant="ghost" icon="edit" onClick={() => openEdit(agent)}>
            Edit
          </Button>
          <Button size="sm" variant="ghost" icon="copy" onClick={() => void duplicate(agent.id)}>
            Duplicate
          </Button>
          <Button size="sm" variant="ghost" icon="download" onClick={() => void exportAgent(agent.id)}>
            Export
          </Button>
          <NotifyToggle agentId={agent.id} />
          <span className="toolbar-spacer" />
          {/* Moving to the trash is reversible, so it offers Undo instead of asking first. */}
          <Button size="sm" variant="danger-ghost" icon="trash" onClick={() => void remove(agent.id)}>
            Delete
          </Button>
        </div>
      )}
    </header>
  );
}

function SessionsBody({ agent }: { agent: Agent }) {
  const trashed = agent.deletedAt !== null;
  return (
    <>
      <SessionsHead trashed={trashed} />
      <SessionsToolbar />
      <TagFilter />
      <div className="pane-scroll">
        <SessionListOrState trashed={trashed} />
      </div>
      <div className="sidebar-footer">
        <Button size="sm" variant="ghost" icon="upload" onClick={() => void importPickedFile(agent.id)} data-testid="import-session">
          Import session
        </Button>
      </div>
    </>
  );
}

/** The title, the archive switch and New session (off for a trashed agent or a lost host). */
function SessionsHead({ trashed }: { trashed: boolean }) {
  const archived = useSessionsStore(selectArchivedFilter);
  const lost = useUiStore(selectConnectionLost);
  const { create, setArchived } = useSessionsStore.getState();
  return (
    <div className="sessions-head">
      <h3 className="sessions-title">Sessions</h3>
      <span className="toolbar-spacer" />
      <Button
        size="sm"
        variant="ghost"
        icon="archive"
        aria-pressed={archived === 'only'}
        className={archived === 'only' ? 'is-pressed' : undefined}
        onClick={() => setArchived(archived === 'only' ? 'exclude' : 'only')}
      >
        Archived
      </Button>
      <Button variant="primary" size="sm" icon="plus" disabled={trashed || lost} onClick={() => void create()} aria-keyshortcuts="Alt+N" title="New session (Alt+N)" data-testid="new-session">
        New session
      </Button>
    </div>
  );
}

/** Status filter and sort order. */
function SessionsToolbar() {
  const statusFilter = useSessionsStore(selectStatusFilter);
  const sort = useSessionsStore(selectSessionSort);
  const order = useSessionsStore(selectSessionOrder);
  const { setStatusFilter, setSort } = useSessionsStore.getState();
  const sortId = `${sort}-${order}`;
  return (
    <div className="sessions-toolbar">
      <label className="select-field">
        <span className="visually-hidden">Filter by status</span>
        <select
          value={statusFilter[0] ?? ''}
          onChange={(e) => setStatusFilter(e.target.value ? [e.target.value as SessionStatus] : [])}
          data-testid="session-status-filter"
        >
          <option value="">All statuses</option>
          {SESSION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {SESSION_STATUS_INFO[s].label}
            </option>
          ))}
        </select>
      </label>
      <label className="select-field">
        <span className="visually-hidden">Sort sessions</span>
        <select
          value={sortId}
          onChange={(e) => {
            const choice = SORTS.find((s) => s.id === e.target.value);
            if (choice) setSort(choice.sort, choice.order);
          }}
          data-testid="session-sort"
        >
          {SORTS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** The sessions with Load more, or why there are none (loading, error, filtered out, new agent). */
function SessionListOrState({ trashed }: { trashed: boolean }) {
  const sessions = useSessionsStore(selectSessions);
  const status = useSessionsStore(selectSessionsStatus);
  const error = useSessionsStore(selectSessionsError);
  const selectedId = useSessionsStore(selectSelectedSessionId);
  const hasMore = useSessionsStore(selectHasMoreSessions);
  const loadingMore = useSessionsStore(selectSessionsLoadingMore);
  const statusFilter = useSessionsStore(selectStatusFilter);
  const archived = useSessionsStore(selectArchivedFilter);
  const tagFilter = useSessionsStore((s) => s.tagFilter);
  const { load, loadMore, select, create } = useSessionsStore.getState();
  const filtered = statusFilter.length > 0 || archived === 'only' || tagFilter.length > 0;

  if (status === 'error') {
    return <ErrorState title="Could not load sessions" message={error} onRetry={() => void load()} testId="sessions-error" />;
  }
  if ((status === 'loading' || status === 'idle') && sessions.length === 0) {
    return <SkeletonList rows={5} rowHeight={58} label="Loading sessions" testId="sessions-loading" />;
  }
  if (sessions.length === 0) {
    return filtered ? (
      <EmptyState icon="filter" title="No sessions match" testId="sessions-empty">
        Try another status{tagFilter.length > 0 ? ', other tags' : ''}{archived === 'only' ? ' or leave the archive' : ''}.
      </EmptyState>
    ) : (
      <EmptyState
        icon="terminal"
        title="No sessions yet"
        testId="sessions-empty"
        action={
          trashed ? undefined : (
            <Button variant="primary" icon="plus" onClick={() => void create()}>
              Start a session
            </Button>
          )
        }
      >
        A session is one run of this agent, with its full log.
      </EmptyState>
    );
  }
  return (
    <>
      <SessionList sessions={sessions} selectedId={selectedId} onSelect={select} />
      <div className="list-more">
        {hasMore ? (
          <Button size="sm" variant="ghost" busy={loadingMore} onClick={() => void loadMore()} data-testid="sessions-load-more">
            Load more
          </Button>
        ) : (
          <span className="list-end">
            {sessions.length} {sessions.length === 1 ? 'session' : 'sessions'}
          </span>
        )}
      </div>
    </>
  );
}

function permissionLabel(mode: Agent['permissionMode']): string {
  switch (mode) {
    case 'readOnly':
      return 'Read only';
    case 'ask':
      return 'Asks before changes';
    case 'acceptEdits':
      return 'Accepts edits';
    case 'bypassPermissions':
      return 'Bypasses permissions';
  }
}

/** Per agent: notify (window title, desktop notification) when its runs need you or end. */
function NotifyToggle({ agentId }: { agentId: string }) {
  const muted = useAttention(selectMuted(agentId));
  return (
    <Button
      size="sm"
      variant="ghost"
      icon={muted ? 'bellOff' : 'bell'}
      aria-pressed={!muted}
      label="Notify me when this agent's runs need me or end"
      onClick={() => useAttention.getState().toggleMuted(agentId)}
      data-testid="agent-notify"
    />
  );
}
