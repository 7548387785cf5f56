// Presentational list of agents (active or trash). Each row is a button (aria-current marks the
// selected one) with its actions as sibling buttons, never nested inside it. Arrow keys move
// between rows so the list is a single tab stop.
import { useRef } from 'react';
import type { Agent } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { formatRelative } from '../../lib/format';
import { focusRovingItem, rovingKey } from '../../lib/rovingList';
import { useImportReviewStore } from '../import-review/store';
import { AgentAvatar } from './AgentAvatar';
import { ModelName } from '../runtime/ModelName';

export interface AgentListProps {
  agents: Agent[];
  selectedId: string | null;
  trash: boolean;
  onSelect: (id: string) => void;
  onRestore: (id: string) => void;
  onPurge: (id: string) => void;
}

export function AgentList({ agents, selectedId, trash, onSelect, onRestore, onPurge }: AgentListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const selectedIndex = agents.findIndex((a) => a.id === selectedId);
  const tabIndexRow = selectedIndex >= 0 ? selectedIndex : 0;

  return (
    <ul ref={listRef} className="agent-list" aria-label={trash ? 'Agents in trash' : 'Agents'} data-testid="agent-list">
      {agents.map((agent, i) => {
        const selected = agent.id === selectedId;
        return (
          <li key={agent.id} className={`agent-item${selected ? ' is-selected' : ''}`} data-testid="agent-item" data-agent-id={agent.id}>
            <button
              type="button"
              className="agent-item-main"
              data-roving
              aria-current={selected ? 'true' : undefined}
              tabIndex={i === tabIndexRow ? 0 : -1}
              onClick={() => onSelect(agent.id)}
              onKeyDown={(event) => {
                const next = rovingKey(event, agents.length, i);
                if (next === null) return;
                const target = agents[next];
                if (target) onSelect(target.id);
                focusRovingItem(listRef.current, next);
              }}
            >
              <AgentAvatar id={agent.id} name={agent.name} avatar={agent.avatar} />
              <span className="agent-item-text">
                <span className="agent-item-name">{agent.name}</span>
                <span className="agent-item-meta">{trash ? `Deleted ${formatRelative(agent.deletedAt)}` : agent.description || <ModelName modelRef={agent.model} fallback="No description" />}</span>
              </span>
              {trash ? null : <span className="agent-item-version">v{agent.version}</span>}
            </button>
            {trash ? (
              <span className="agent-item-actions">
                <Button size="sm" variant="ghost" icon="restore" onClick={() => onRestore(agent.id)} aria-label={`Restore “${agent.name}”`}>
                  Restore
                </Button>
                <Button size="sm" variant="danger-ghost" icon="trash" label={`Delete “${agent.name}” forever`} onClick={() => onPurge(agent.id)} />
              </span>
            ) : agent.pendingReview ? (
              // Imported and still disarmed: the marker reopens the review (a sibling button, not nested).
              <span className="agent-item-actions">
                <Button size="sm" variant="ghost" icon="alert" className="review-marker" onClick={() => useImportReviewStore.getState().open(agent.id)} aria-label={`Needs review: review what “${agent.name}” asked for`} data-testid="agent-needs-review">
                  Needs review
                </Button>
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
