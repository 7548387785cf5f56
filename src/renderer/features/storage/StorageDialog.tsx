// The Storage dialog: the self-check and its repairs, clean-up (retention with a preview, the
// trash's own clean-up, compaction) and backups.
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorState, Spinner } from '../../components/States';
import { BackupsPanel } from './BackupsPanel';
import { CleanupPanel } from './CleanupPanel';
import { RepairButton } from './StorageAttention';
import { formatBytes, useStorageStore, type StorageTab } from './store';

const TABS: { id: StorageTab; label: string }[] = [
  { id: 'health', label: 'Health' },
  { id: 'cleanup', label: 'Clean up' },
  { id: 'backups', label: 'Backups' },
];

export function StorageDialog() {
  const open = useStorageStore((s) => s.open);
  const tab = useStorageStore((s) => s.tab);
  const loadError = useStorageStore((s) => s.loadError);
  const loaded = useStorageStore((s) => s.overview !== null);
  const close = () => useStorageStore.getState().closeDialog();
  return (
    <Dialog
      open={open}
      size="lg"
      title="Storage"
      description="Check Paddock's database, clean up old sessions and keep backups."
      onRequestClose={close}
      testId="storage-dialog"
      footer={
        <Button variant="secondary" onClick={close} data-testid="storage-close">
          Close
        </Button>
      }
    >
      <div className="segmented" role="group" aria-label="Storage section">
        {TABS.map((t) => (
          <button key={t.id} type="button" className="segmented-item" aria-pressed={tab === t.id} onClick={() => useStorageStore.getState().setTab(t.id)} data-testid={`storage-tab-${t.id}`}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="storage-panel">
        {loadError ? (
          <ErrorState title="Could not read the storage details" message={loadError} onRetry={() => void useStorageStore.getState().load()} testId="storage-error" />
        ) : !loaded ? (
          <Spinner label="Reading the storage details…" />
        ) : tab === 'health' ? (
          <HealthPanel />
        ) : tab === 'cleanup' ? (
          <CleanupPanel />
        ) : (
          <BackupsPanel />
        )}
      </div>
    </Dialog>
  );
}

function HealthPanel() {
  const health = useStorageStore((s) => s.health);
  const overview = useStorageStore((s) => s.overview);
  const busy = useStorageStore((s) => s.busy);
  if (!health || !overview) return null;
  const deep = health.deep;
  const status =
    health.state === 'attention' ? 'Needs attention' : deep.state === 'done' ? 'All checks passed' : deep.state === 'running' ? 'Checking in the background…' : 'Quick check passed; the full check runs in the background';
  return (
    <div className="storage-health" data-testid="storage-health">
      <dl className="storage-facts">
        <div>
          <dt>State</dt>
          <dd data-testid="storage-health-state" className={`storage-state storage-state-${health.state}`}>
            {status}
          </dd>
        </div>
        <div>
          <dt>Launch check</dt>
          <dd>{health.quickMs.toFixed(1)} ms</dd>
        </div>
        <div>
          <dt>Full check</dt>
          <dd>{deep.finishedAt ? `${new Date(deep.finishedAt).toLocaleString()} (${Math.round(deep.ms ?? 0)} ms)` : 'Not run yet'}</dd>
        </div>
        <div>
          <dt>Database</dt>
          <dd>
            {overview.local ? `${formatBytes(overview.fileBytes + overview.walBytes)} on disk, ${formatBytes(overview.freeBytes)} free inside` : 'Remote or in-memory database'}
          </dd>
        </div>
      </dl>
      {health.problems.length > 0 ? (
        <ul className="storage-problems" aria-label="Problems found">
          {health.problems.map((p) => (
            <li key={p.code} className="storage-problem">
              <p>{p.message}</p>
              <div className="storage-row-actions">
                {p.repairs.map((r) => (
                  <RepairButton key={r} repair={r} />
                ))}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <div>
        <Button onClick={() => void useStorageStore.getState().checkNow()} busy={busy === 'check'} disabled={busy !== null && busy !== 'check'} data-testid="storage-check-now">
          Check everything now
        </Button>
      </div>
    </div>
  );
}
