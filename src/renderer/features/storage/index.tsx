// Storage care in the window: the attention state at the top when the self-check finds a problem,
// and the Storage dialog (health, clean-up, backups), opened from Settings.
import { useEffect } from 'react';
import { Button } from '../../components/Button';
import { api } from '../../lib/api';
import { StorageAttention } from './StorageAttention';
import { StorageDialog } from './StorageDialog';
import { useStorageStore } from './store';
import './storage.css';

export function StorageLayer() {
  useEffect(() => {
    const s = useStorageStore.getState();
    void s.loadHealth();
    const offs = [
      api().on('storage.healthChanged', (health) => useStorageStore.getState().setHealth(health)),
      api().on('storage.retentionProgress', (p) => useStorageStore.getState().setProgress(p)),
    ];
    return () => offs.forEach((off) => off());
  }, []);
  return (
    <>
      <StorageAttention />
      <StorageDialog />
    </>
  );
}

/** The way in from Settings. */
export function OpenStorageButton() {
  return (
    <Button variant="secondary" icon="history" onClick={() => useStorageStore.getState().openDialog()} data-testid="open-storage">
      Storage and backups
    </Button>
  );
}
