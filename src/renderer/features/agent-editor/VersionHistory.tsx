// Version history of an agent: every saved version, newest first, with what changed against
// the version before it and the full config, and a way to bring an old version back.
import { useMemo } from 'react';
import type { AgentConfig, AgentVersion } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { EmptyState, ErrorState, SkeletonList } from '../../components/States';
import { formatDateTime, formatJson } from '../../lib/format';
import { useAgentEditorStore } from './store';
import { changedFields, FIELD_LABELS } from './agentForm';

export function VersionHistory() {
  const versions = useAgentEditorStore((s) => s.versions);
  const status = useAgentEditorStore((s) => s.versionsStatus);
  const error = useAgentEditorStore((s) => s.versionsError);
  const selected = useAgentEditorStore((s) => s.selectedVersion);
  const agent = useAgentEditorStore((s) => s.agent);
  const { selectVersion, loadVersions, restoreVersion } = useAgentEditorStore.getState();

  if (status === 'error') return <ErrorState title="Could not load the history" message={error} onRetry={() => void loadVersions()} />;
  if (status !== 'ready') return <SkeletonList rows={4} rowHeight={48} label="Loading versions" />;
  if (versions.length === 0) return <EmptyState icon="history" title="No versions yet" />;

  const index = Math.max(
    0,
    versions.findIndex((v) => v.version === selected),
  );
  const current = versions[index]!;
  const previous = versions[index + 1];

  return (
    <div className="history" data-testid="version-history">
      <ul className="history-list" aria-label="Versions">
        {versions.map((version, i) => {
          const before = versions[i + 1];
          const count = before ? changedFields(before.config, version.config).length : null;
          const isSelected = version.version === current.version;
          return (
            <li key={version.id}>
              <button type="button" className={`history-item${isSelected ? ' is-selected' : ''}`} aria-current={isSelected ? 'true' : undefined} onClick={() => selectVersion(version.version)} data-testid="version-item">
                <span className="history-item-title">
                  Version {version.version}
                  {version.version === agent?.version ? <span className="tag">Current</span> : null}
                </span>
                <span className="history-item-meta">
                  {formatDateTime(version.createdAt)} · {count === null ? 'Created' : count === 0 ? 'No changes' : `${count} ${count === 1 ? 'change' : 'changes'}`}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <VersionDetails version={current} previous={previous} isCurrent={current.version === agent?.version} onRestore={() => void restoreVersion(current.version)} />
    </div>
  );
}

function VersionDetails({ version, previous, isCurrent, onRestore }: { version: AgentVersion; previous: AgentVersion | undefined; isCurrent: boolean; onRestore: () => void }) {
  const changes = useMemo(() => (previous ? changedFields(previous.config, version.config) : []), [previous, version]);
  return (
    <div className="history-details" data-testid="version-details">
      <div className="history-details-head">
        <h3 className="history-details-title">Version {version.version}</h3>
        {!isCurrent ? (
          <Button size="sm" icon="restore" onClick={onRestore}>
            Restore this version
          </Button>
        ) : null}
      </div>
      {previous ? (
        changes.length > 0 ? (
          <div className="diff" aria-label={`Changes from version ${previous.version}`}>
            {changes.map((field) => (
              <div key={field} className="diff-field">
                <div className="diff-name">{FIELD_LABELS[field]}</div>
                <div className="diff-pair">
                  <pre className="diff-before" aria-label={`Version ${previous.version}`}>
                    <span className="diff-sign" aria-hidden="true">
                      −{' '}
                    </span>
                    {showValue(previous.config, field)}
                  </pre>
                  <pre className="diff-after" aria-label={`Version ${version.version}`}>
                    <span className="diff-sign" aria-hidden="true">
                      +{' '}
                    </span>
                    {showValue(version.config, field)}
                  </pre>
                </div>
              </div>
            ))}
          </div>
        ) : (
          <p className="muted">Same configuration as version {previous.version}.</p>
        )
      ) : (
        <p className="muted">The first version of this agent.</p>
      )}
      <details className="full-config">
        <summary>Full configuration</summary>
        <pre className="json">{formatJson(version.config)}</pre>
      </details>
    </div>
  );
}

function showValue(config: AgentConfig, field: keyof AgentConfig): string {
  const value = config[field];
  if (value === null || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  return formatJson(value);
}
