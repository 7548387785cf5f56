// The open session's header: its name (renamed in place), status, run and session actions, and
// the facts (agent version, model, tokens, cost). The rows wrap instead of squeezing the name,
// so it stays readable in a 1024 px window.
import { useEffect, useState, type ComponentType } from 'react';
import type { SessionWithConfig } from '../../../shared/domain';
import { slots } from '../../app/slots';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { SessionStatusBadge } from '../../components/StatusBadge';
import { formatCost, formatDateTime, formatTokens } from '../../lib/format';
import { useAgentEditorStore } from '../agent-editor/store';
import { ModelName } from '../runtime/ModelName';
import { useSessionsStore } from '../sessions/store';
import { create } from 'zustand';
import { BranchLinks } from './BranchLinks';
import { SessionBudget } from '../controls/SessionBudget';
import { useInterchangeStore } from '../interchange/store';
import { totalTokens } from '../../../shared/usage';
import { PinMark, SourceBadge, TagChips } from '../sessions/SessionMarks';
import { SessionMarkActions } from '../sessions/SessionMarkActions';

/**
 * Extra controls in the header's view area (a "Tree | Timeline" switcher, Replay, Compare,
 * a budget meter): a feature adds its component with one line,
 * `sessionHeaderExtras.push(MyComponent)`, before the first render.
 */
export const sessionHeaderExtras: Array<ComponentType<{ session: SessionWithConfig }>> = [];

/** Asks the open session's title to switch to its rename field (F2, the command palette). */
export const useRenameRequest = create<{ nonce: number; request: () => void }>()((set) => ({
  nonce: 0,
  request: () => set((s) => ({ nonce: s.nonce + 1 })),
}));

export function SessionHeader({ session }: { session: SessionWithConfig }) {
  return (
    <header className="session-header" data-testid="session-header">
      <div className="session-header-row">
        <PinMark pinnedAt={session.pinnedAt} />
        <SessionTitle id={session.id} name={session.name} />
        <SourceBadge source={session.source} />
        <SessionStatusBadge status={session.status} />
        <SessionBudget sessionId={session.id} status={session.status} />
        <SessionActions session={session} />
      </div>
      <SessionFacts session={session} />
      <BranchLinks session={session} />
      {session.error ? (
        <p className="notice notice-danger" role="note">
          <Icon name="alert" size={14} /> {session.error}
        </p>
      ) : null}
    </header>
  );
}

/**
 * The session's actions. In a narrow header the quiet ones show only their icon (their name
 * stays for assistive technology and as a tooltip), so they fit on one line beside the status.
 */
function SessionActions({ session }: { session: SessionWithConfig }) {
  const { exportSession, archive, unarchive, remove } = useSessionsStore.getState();
  const openExportAs = () => useInterchangeStore.getState().openExport({ sessionId: session.id, sessionName: session.name || 'Session', agentId: session.agentId, agentName: session.agentName });
  return (
    <div className="session-header-actions" role="toolbar" aria-label="Session actions">
      {sessionHeaderExtras.length > 0 ? (
        <span className="session-header-views" data-testid="session-header-views">
          {sessionHeaderExtras.map((Extra, i) => (
            <Extra key={i} session={session} />
          ))}
        </span>
      ) : null}
      {slots.sessionActions ? <slots.sessionActions session={session} /> : null}
      <SessionMarkActions session={session} />
      <Button size="sm" variant="ghost" icon="download" title="Export" onClick={() => void exportSession(session.id)}>
        Export
      </Button>
      <Button size="sm" variant="ghost" icon="output" title="Export as…" onClick={openExportAs} data-testid="export-as">
        Export as…
      </Button>
      {session.archivedAt ? (
        <Button size="sm" variant="ghost" icon="archive" title="Unarchive" onClick={() => void unarchive(session.id)}>
          Unarchive
        </Button>
      ) : (
        <Button size="sm" variant="ghost" icon="archive" title="Archive" onClick={() => void archive(session.id)}>
          Archive
        </Button>
      )}
      <Button size="sm" variant="danger-ghost" icon="trash" title="Delete" onClick={() => void remove(session.id)} data-testid="session-delete">
        Delete
      </Button>
    </div>
  );
}

/** Agent version, model, usage, creation: label and value on one line each, wrapping as a whole. */
function SessionFacts({ session }: { session: SessionWithConfig }) {
  const openVersion = () => void useAgentEditorStore.getState().openAgentHistory(session.agentId, session.agentVersion);
  const n = (v: number) => v.toLocaleString('en-US');
  return (
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
        <dd data-testid="session-model">
          <ModelName modelRef={session.effectiveConfig.model} fallback="Default" />
        </dd>
      </div>
      <div>
        <dt>Tokens</dt>
        <dd title={`${n(session.tokensIn)} in · ${n(session.tokensOut)} out · ${n(session.tokensReasoning)} of them reasoning · ${n(session.tokensCached)} cached`}>
          {formatTokens(totalTokens(session))}
          {/* Shown where the labels are not (a narrow header): "15 tokens" reads alone. */}
          <span className="fact-unit" aria-hidden="true">
            {' '}
            tokens
          </span>
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
      {/* Only when there are tags: a "None" row would cost every session a line of log (the Tags button adds them). */}
      {session.tags && session.tags.length > 0 ? (
        <div>
          <dt>Tags</dt>
          <dd data-testid="session-header-tags">
            <TagChips tags={session.tags} />
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

function SessionTitle({ id, name }: { id: string; name: string }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  const rename = useSessionsStore((s) => s.rename);
  const nonce = useRenameRequest((s) => s.nonce);
  useEffect(() => {
    if (nonce === 0) return;
    setDraft(name);
    setEditing(true);
    // Only a new request opens the field, not a name change.
  }, [nonce]);
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
        title="Rename session (F2)"
        aria-keyshortcuts="F2"
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
