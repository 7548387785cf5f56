// Clean-up: a retention rule (which sessions, how old, how big, which agent), a preview of what
// would go before anything is deleted, the trash's own clean-up and the daily backup setting,
// and compaction for databases made before Paddock gave space back on its own.
import { useEffect, useState, type FormEvent } from 'react';
import { RETENTION_STATES, type RetentionRule } from '../../../shared/ipc';
import { Button } from '../../components/Button';
import { confirmAction } from '../../state/ui';
import { formatBytes, useStorageStore } from './store';

const STATE_LABELS: Record<(typeof RETENTION_STATES)[number], string> = {
  trashed: 'In the trash',
  archived: 'Archived',
  archived_or_trashed: 'Archived or in the trash',
  ended: 'Any session not running',
};

function num(text: string): number | undefined {
  const n = Number(text);
  return text.trim() === '' || !Number.isFinite(n) || n < 0 ? undefined : n;
}

export function CleanupPanel() {
  const busy = useStorageStore((s) => s.busy);
  const [state, setState] = useState<RetentionRule['state']>('trashed');
  const [days, setDays] = useState('30');
  const [mb, setMb] = useState('');
  const rule = (): RetentionRule => {
    const d = num(days);
    const m = num(mb);
    return { state, ...(d === undefined ? {} : { olderThanDays: Math.floor(d) }), ...(m === undefined ? {} : { largerThanMb: m }) };
  };
  const onPreview = (e: FormEvent) => {
    e.preventDefault();
    void useStorageStore.getState().previewRetention(rule());
  };
  return (
    <div className="storage-cleanup">
      <form className="storage-rule" onSubmit={onPreview} aria-label="Clean-up rule" data-testid="retention-form">
        <div className="field">
          <label className="field-label" htmlFor="rt-state">
            Sessions
          </label>
          <div className="select-field">
            <select id="rt-state" value={state} onChange={(e) => setState(e.target.value as RetentionRule['state'])} data-testid="retention-state">
              {RETENTION_STATES.map((s) => (
                <option key={s} value={s}>
                  {STATE_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="rt-days">
            Untouched for at least (days)
          </label>
          <input id="rt-days" className="input" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} data-testid="retention-days" />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="rt-mb">
            Larger than (MB, optional)
          </label>
          <input id="rt-mb" className="input" inputMode="decimal" value={mb} onChange={(e) => setMb(e.target.value)} data-testid="retention-mb" />
        </div>
        <Button type="submit" busy={busy === 'preview'} disabled={busy !== null && busy !== 'preview'} data-testid="retention-preview">
          Preview
        </Button>
      </form>
      <RetentionPreviewCard />
      <SettingsForm />
      <CompactRow />
    </div>
  );
}

/** What a rule would delete (sessions, entries, bytes, a few examples), with the one button that deletes it. */
function RetentionPreviewCard() {
  const preview = useStorageStore((s) => s.preview);
  const progress = useStorageStore((s) => s.progress);
  const busy = useStorageStore((s) => s.busy);
  if (!preview) return null;
  const onDelete = async () => {
    const ok = await confirmAction({
      title: `Delete ${preview.sessions} session${preview.sessions === 1 ? '' : 's'} for good?`,
      message: `${preview.nodes} log entries (${formatBytes(preview.bytes)}) go with them. This cannot be undone; back up first if unsure.`,
      confirmLabel: 'Delete',
      tone: 'danger',
    });
    if (ok) await useStorageStore.getState().runRetention();
  };
  return (
    <div className="storage-preview" data-testid="retention-result" aria-live="polite">
      <p>
        <strong data-testid="retention-summary">
          {preview.sessions} session{preview.sessions === 1 ? '' : 's'}, {preview.nodes} log entries, {formatBytes(preview.bytes)}
        </strong>{' '}
        would be deleted. Running sessions are never touched.
      </p>
      {preview.examples.length > 0 ? (
        <ul className="storage-examples">
          {preview.examples.map((e) => (
            <li key={e.id}>
              {e.name} <span className="storage-muted">· {e.agentName} · {formatBytes(e.bytes)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="storage-row-actions">
        <Button variant="danger" disabled={preview.sessions === 0 || (busy !== null && busy !== 'retention')} busy={busy === 'retention'} onClick={() => void onDelete()} data-testid="retention-run">
          Delete {preview.sessions} session{preview.sessions === 1 ? '' : 's'}
        </Button>
        <Button variant="ghost" onClick={() => useStorageStore.getState().clearPreview()}>
          Cancel
        </Button>
        {progress ? (
          <span className="storage-muted" data-testid="retention-progress">
            {progress.done} of {progress.total} deleted…
          </span>
        ) : null}
      </div>
    </div>
  );
}

function SettingsForm() {
  const settings = useStorageStore((s) => s.settings);
  const busy = useStorageStore((s) => s.busy);
  const [days, setDays] = useState('');
  const [auto, setAuto] = useState(true);
  const [daily, setDaily] = useState(false);
  useEffect(() => {
    if (!settings) return;
    setAuto(settings.trashDays !== null);
    setDays(String(settings.trashDays ?? 30));
    setDaily(settings.dailyBackup);
  }, [settings]);
  if (!settings) return null;
  const save = (e: FormEvent) => {
    e.preventDefault();
    const d = Math.min(3650, Math.max(1, Math.floor(num(days) ?? 30)));
    void useStorageStore.getState().saveSettings({ trashDays: auto ? d : null, dailyBackup: daily });
  };
  return (
    <form className="storage-settings" onSubmit={save} aria-label="Storage settings" data-testid="storage-settings">
      <label className="check-inline">
        <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} data-testid="trash-auto" /> Empty the trash of sessions kept there longer than
      </label>
      <input className="input storage-days" aria-label="Days in the trash" inputMode="numeric" value={days} disabled={!auto} onChange={(e) => setDays(e.target.value)} data-testid="trash-days" />
      <span>days</span>
      <label className="check-inline">
        <input type="checkbox" checked={daily} onChange={(e) => setDaily(e.target.checked)} data-testid="daily-backup" /> Back up daily
      </label>
      <Button type="submit" size="sm" busy={busy === 'settings'} data-testid="storage-settings-save">
        Save
      </Button>
    </form>
  );
}

function CompactRow() {
  const overview = useStorageStore((s) => s.overview);
  const busy = useStorageStore((s) => s.busy);
  if (!overview?.local || overview.autoVacuum === 'incremental') return null;
  return (
    <div className="storage-compact">
      <p>
        This database was created before Paddock gave deleted space back to the disk. Compacting rewrites it once (it can take a while on a large
        database); after that, clean-ups shrink the file.
      </p>
      <Button size="sm" busy={busy === 'compact'} disabled={busy !== null && busy !== 'compact'} onClick={() => void useStorageStore.getState().compact()} data-testid="storage-compact">
        Compact now
      </Button>
    </div>
  );
}
