// Backups: back up now, the list (time, size, Paddock version, verified or not), verify one, look
// inside one (read-only) and restore one after backing up the current state.
import type { BackupInfo } from '../../../shared/ipc';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/States';
import { confirmAction } from '../../state/ui';
import { formatBytes, useStorageStore } from './store';

const KIND_LABELS: Record<BackupInfo['kind'], string> = {
  manual: 'Manual',
  daily: 'Daily',
  'pre-migration': 'Before an update',
  'pre-restore': 'Before a restore',
  other: 'Other',
};

export function BackupsPanel() {
  const overview = useStorageStore((s) => s.overview);
  const backups = useStorageStore((s) => s.backups);
  const busy = useStorageStore((s) => s.busy);
  const pending = useStorageStore((s) => s.restorePending);
  const inspected = useStorageStore((s) => s.inspected);
  if (!overview?.local) {
    return <EmptyState title="No backups for this database">Paddock is using a remote or in-memory database: back it up where it is kept.</EmptyState>;
  }
  return (
    <div className="storage-backups">
      <div className="storage-row-actions">
        <Button variant="primary" icon="download" busy={busy === 'backup'} disabled={busy !== null && busy !== 'backup'} onClick={() => void useStorageStore.getState().backupNow()} data-testid="backup-now">
          Back up now
        </Button>
        <span className="storage-muted">Agents, sessions, logs and providers. API keys are not included: they stay in this computer&apos;s key store.</span>
      </div>
      {pending ? (
        <p className="storage-notice" role="status" data-testid="restore-pending">
          Restart Paddock to finish restoring {pending}. The current state was backed up first.
        </p>
      ) : null}
      {backups && backups.length > 0 ? (
        <table className="storage-table" data-testid="backup-list">
          <caption className="visually-hidden">Backups, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Made</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">Version</th>
              <th scope="col">Verified</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <BackupRow key={b.name} backup={b} />
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState title="No backups yet" testId="backups-empty">
          Back up now, or turn on daily backups under Clean up.
        </EmptyState>
      )}
      {inspected ? (
        <section className="storage-inside" aria-labelledby="backup-inside-title" data-testid="backup-inside">
          <h3 id="backup-inside-title">Inside {inspected.name}</h3>
          <p className="storage-muted">
            {inspected.agents.length} agent{inspected.agents.length === 1 ? '' : 's'}, {inspected.sessions.length} session{inspected.sessions.length === 1 ? '' : 's'},{' '}
            {inspected.providers.length} provider{inspected.providers.length === 1 ? '' : 's'} (opened read-only).
          </p>
          <ul className="storage-examples">
            {inspected.sessions.slice(0, 50).map((s) => (
              <li key={s.id}>
                {s.name} <span className="storage-muted">· {s.agentName} · {s.nodes} entries · {s.status}</span>
              </li>
            ))}
          </ul>
          <Button size="sm" variant="ghost" onClick={() => void useStorageStore.getState().inspect(null)}>
            Close the preview
          </Button>
        </section>
      ) : null}
    </div>
  );
}

function BackupRow({ backup: b }: { backup: BackupInfo }) {
  const busy = useStorageStore((s) => s.busy);
  const s = useStorageStore.getState();
  const when = new Date(b.createdAt).toLocaleString();
  const restore = async () => {
    const ok = await confirmAction({
      title: 'Restore this backup?',
      message: `Paddock backs up the current state first, then puts the backup from ${when} in place when it starts next. Anything recorded after that backup is only in the safety backup.`,
      confirmLabel: 'Restore',
      tone: 'danger',
    });
    if (ok) await s.restore(b.name);
  };
  return (
    <tr data-testid="backup-row">
      <td>{when}</td>
      <td>{KIND_LABELS[b.kind]}</td>
      <td>{formatBytes(b.bytes)}</td>
      <td>{b.appVersion ?? 'unknown'}</td>
      <td data-testid="backup-verified">{b.verified === 'ok' ? 'Verified' : b.verified === 'failed' ? 'Damaged' : 'Not yet'}</td>
      <td className="storage-row-actions">
        <Button size="sm" variant="ghost" busy={busy === `verify:${b.name}`} disabled={busy !== null} onClick={() => void s.verify(b.name)} aria-label={`Verify the backup from ${when}`}>
          Verify
        </Button>
        <Button size="sm" variant="ghost" busy={busy === `inspect:${b.name}`} disabled={busy !== null} onClick={() => void s.inspect(b.name)} aria-label={`Look inside the backup from ${when}`} data-testid="backup-inspect">
          Look inside
        </Button>
        <Button size="sm" variant="danger-ghost" busy={busy === `restore:${b.name}`} disabled={busy !== null || b.verified === 'failed'} onClick={() => void restore()} aria-label={`Restore the backup from ${when}`} data-testid="backup-restore">
          Restore
        </Button>
      </td>
    </tr>
  );
}
