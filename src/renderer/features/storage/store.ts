// Storage care's slice: the self-check's health (pushed by main on storage.healthChanged), the
// Storage dialog's data (overview, settings, backups, a retention preview) and its actions.
import { create } from 'zustand';
import type {
  BackupContents,
  BackupInfo,
  RetentionPreview,
  RetentionRule,
  StorageHealth,
  StorageOverview,
  StorageSettings,
} from '../../../shared/ipc';
import { api } from '../../lib/api';
import { runAction } from '../../state/runAction';
import { toast } from '../../state/ui';

export type StorageTab = 'health' | 'cleanup' | 'backups';

interface StorageState {
  health: StorageHealth | null;
  open: boolean;
  tab: StorageTab;
  overview: StorageOverview | null;
  settings: StorageSettings | null;
  backups: BackupInfo[] | null;
  loadError: string | null;
  preview: RetentionPreview | null;
  previewRule: RetentionRule | null;
  inspected: BackupContents | null;
  /** The action running now (one at a time), e.g. 'rebuild_index', 'backup', 'retention'. */
  busy: string | null;
  progress: { done: number; total: number } | null;
  /** A restore waiting for the next start. */
  restorePending: string | null;

  loadHealth(): Promise<void>;
  setHealth(health: StorageHealth): void;
  openDialog(tab?: StorageTab): void;
  closeDialog(): void;
  setTab(tab: StorageTab): void;
  load(): Promise<void>;
  checkNow(): Promise<void>;
  repair(action: 'rebuild_index' | 'remove_orphans'): Promise<void>;
  exportReadable(): Promise<void>;
  compact(): Promise<void>;
  saveSettings(settings: { trashDays: number | null; dailyBackup: boolean }): Promise<void>;
  previewRetention(rule: RetentionRule): Promise<void>;
  runRetention(): Promise<void>;
  clearPreview(): void;
  backupNow(): Promise<void>;
  verify(name: string): Promise<void>;
  inspect(name: string | null): Promise<void>;
  restore(name: string): Promise<void>;
  setProgress(progress: { done: number; total: number }): void;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// eslint-disable-next-line max-lines-per-function -- a zustand store is one object of state and its actions (the shape zustand needs); each action is a short method
export const useStorageStore = create<StorageState>()((set, get) => {
  /** Runs one action at a time with the busy flag set; failures become an error toast. */
  const busy = async (key: string, failure: string, fn: () => Promise<void>) => {
    if (get().busy) return;
    set({ busy: key });
    try {
      await runAction(failure, fn);
    } finally {
      set({ busy: null });
    }
  };
  return {
    health: null,
    open: false,
    tab: 'health',
    overview: null,
    settings: null,
    backups: null,
    loadError: null,
    preview: null,
    previewRule: null,
    inspected: null,
    busy: null,
    progress: null,
    restorePending: null,

    loadHealth: async () => {
      try {
        set({ health: await api().storage.health() });
      } catch {
        // The connection banner covers a host that is not answering; health arrives by event too.
      }
    },
    setHealth: (health) => set({ health }),
    openDialog: (tab) => {
      set({ open: true, ...(tab ? { tab } : {}) });
      void get().load();
    },
    closeDialog: () => set({ open: false, inspected: null, preview: null, previewRule: null }),
    setTab: (tab) => set({ tab, inspected: null }),
    load: async () => {
      try {
        const p = api().storage;
        const [overview, settings, health] = await Promise.all([p.overview(), p.settings(), p.health()]);
        const backups = overview.local ? await p.backups() : [];
        set({ overview, settings, health, backups, loadError: null });
      } catch (e) {
        set({ loadError: message(e) });
      }
    },
    checkNow: () => busy('check', 'Could not check the storage', async () => set({ health: await api().storage.checkNow() })),
    repair: (action) =>
      busy(action, 'Could not repair the storage', async () => {
        const health = await api().storage.repair({ action });
        set({ health });
        toast(health.state === 'ok' ? 'Repaired: the storage checks out.' : 'Repair done; some problems remain.', { tone: health.state === 'ok' ? 'success' : 'info' });
      }),
    exportReadable: () =>
      busy('export', 'Could not export the sessions', async () => {
        const r = await api().storage.exportReadable();
        toast(`Saved ${r.sessions} session${r.sessions === 1 ? '' : 's'} to ${r.folder}${r.failed ? ` (${r.failed} could not be read)` : ''}.`, { tone: 'success' });
      }),
    compact: () =>
      busy('compact', 'Could not compact the database', async () => {
        set({ overview: await api().storage.compact() });
        toast('Compacted: deleted data now goes back to the disk.', { tone: 'success' });
      }),
    saveSettings: (settings) =>
      busy('settings', 'Could not save the storage settings', async () => {
        set({ settings: await api().storage.saveSettings(settings) });
        toast('Storage settings saved.', { tone: 'success' });
      }),
    previewRetention: (rule) =>
      busy('preview', 'Could not preview the clean-up', async () => set({ preview: await api().storage.retentionPreview(rule), previewRule: rule })),
    runRetention: () => {
      const rule = get().previewRule;
      if (!rule) return Promise.resolve();
      return busy('retention', 'Could not clean up', async () => {
        set({ progress: { done: 0, total: get().preview?.sessions ?? 0 } });
        try {
          const r = await api().storage.retentionRun(rule);
          toast(`Deleted ${r.sessions} session${r.sessions === 1 ? '' : 's'} (${r.nodes} log entries); ${formatBytes(r.reclaimedBytes)} given back to the disk.`, { tone: 'success' });
        } finally {
          set({ progress: null, preview: null, previewRule: null });
        }
        set({ overview: await api().storage.overview() });
      });
    },
    clearPreview: () => set({ preview: null, previewRule: null }),
    backupNow: () =>
      busy('backup', 'Could not back up', async () => {
        const b = await api().storage.backupNow();
        set({ backups: await api().storage.backups() });
        toast(`Backed up (${formatBytes(b.bytes)}), ${b.verified === 'ok' ? 'verified' : 'not verified'}.`, { tone: 'success' });
      }),
    verify: (name) =>
      busy(`verify:${name}`, 'Could not verify the backup', async () => {
        const b = await api().storage.verifyBackup({ name });
        set({ backups: (get().backups ?? []).map((x) => (x.name === name ? b : x)) });
      }),
    inspect: async (name) => {
      if (name === null) {
        set({ inspected: null });
        return;
      }
      await busy(`inspect:${name}`, 'Could not open the backup', async () => set({ inspected: await api().storage.inspectBackup({ name }) }));
    },
    restore: (name) =>
      busy(`restore:${name}`, 'Could not restore the backup', async () => {
        const r = await api().storage.restoreBackup({ name });
        set({ restorePending: name, backups: await api().storage.backups() });
        toast(`The current state was backed up first (${r.safetyBackup}). Restart Paddock to finish restoring.`, { tone: 'info', timeoutMs: 15000 });
      }),
    setProgress: (progress) => set({ progress }),
  };
});

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
