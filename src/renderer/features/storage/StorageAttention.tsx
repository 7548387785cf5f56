// The "Storage needs attention" state: when the self-check finds something wrong, the window says
// so at the top, in words, with the repairs that fit (rebuild the search index, remove broken
// entries, restore a backup, export what is readable), instead of quietly showing an empty or
// partial sidebar over data that is still on disk.
import { useState } from 'react';
import type { StorageRepair } from '../../../shared/ipc';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { useStorageStore } from './store';

export const REPAIR_LABELS: Record<StorageRepair, string> = {
  rebuild_index: 'Rebuild the search index',
  remove_orphans: 'Remove broken entries',
  restore_backup: 'Restore from a backup…',
  export_readable: 'Export what is readable',
};

export function RepairButton({ repair }: { repair: StorageRepair }) {
  const busy = useStorageStore((s) => s.busy);
  const s = useStorageStore.getState();
  const run = () => {
    if (repair === 'rebuild_index' || repair === 'remove_orphans') void s.repair(repair);
    else if (repair === 'restore_backup') s.openDialog('backups');
    else void s.exportReadable();
  };
  const key = repair === 'export_readable' ? 'export' : repair;
  return (
    <Button size="sm" variant={repair === 'rebuild_index' || repair === 'remove_orphans' ? 'primary' : 'secondary'} busy={busy === key} disabled={busy !== null && busy !== key} onClick={run} data-testid={`repair-${repair}`}>
      {REPAIR_LABELS[repair]}
    </Button>
  );
}

export function StorageAttention() {
  const health = useStorageStore((s) => s.health);
  const [folded, setFolded] = useState(false);
  if (!health || health.state !== 'attention') return null;
  if (folded) {
    return (
      <div className="storage-attention-pill" role="status">
        <Button size="sm" variant="danger-ghost" icon="alert" onClick={() => setFolded(false)} data-testid="storage-attention-unfold">
          Storage needs attention
        </Button>
      </div>
    );
  }
  const repairs = [...new Set(health.problems.flatMap((p) => p.repairs))];
  return (
    <section className="storage-attention" role="alert" aria-labelledby="storage-attention-title" data-testid="storage-attention">
      <div className="storage-attention-head">
        <Icon name="alert" size={18} />
        <h2 id="storage-attention-title">Storage needs attention</h2>
        <Button size="sm" variant="ghost" onClick={() => useStorageStore.getState().openDialog('health')} data-testid="storage-attention-details">
          Details
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setFolded(true)} data-testid="storage-attention-fold">
          Later
        </Button>
      </div>
      <p className="storage-attention-lead">Your data is still on disk. Paddock found this while checking it:</p>
      <ul className="storage-attention-list">
        {health.problems.map((p) => (
          <li key={p.code}>{p.message}</li>
        ))}
      </ul>
      <div className="storage-attention-actions">
        {repairs.map((r) => (
          <RepairButton key={r} repair={r} />
        ))}
      </div>
    </section>
  );
}
