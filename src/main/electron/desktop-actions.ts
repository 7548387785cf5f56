// What the application menu's own items do: open the data folder, back the database up now,
// and the About panel (version, data folder, database version). Plain functions over the few
// Electron calls they need, so the tests can drive them with a recording fake.
import type { Client } from '@libsql/client';
import type { MessageBoxOptions, NativeImage } from 'electron';
import { localPathOf } from '../db/connection';
import { takeBackup } from '../db/migrator/backup';

export interface DesktopActionDeps {
  appName: string;
  version: string;
  dataDir: string;
  /** The open database: backups are taken through it (VACUUM INTO), without a second connection. */
  database: { client: Client; url: string; current: () => number | null };
  /** Electron, Chromium and Node versions, for the About panel. */
  versions: Partial<Record<'electron' | 'chrome' | 'node', string>>;
  icon?: NativeImage | string;
  showMessageBox: (options: MessageBoxOptions) => Promise<{ response: number }>;
  openPath: (path: string) => Promise<string>;
  showItemInFolder: (path: string) => void;
  logger: { error: (message: string, error?: unknown) => void };
}

export interface DesktopActions {
  openDataFolder(): Promise<void>;
  /** Resolves with the backup's path, or null when it failed (the person was told why). */
  backUpNow(): Promise<string | null>;
  showAbout(): Promise<void>;
}

export function aboutText(deps: Pick<DesktopActionDeps, 'appName' | 'version' | 'dataDir' | 'database' | 'versions'>): { message: string; detail: string } {
  const current = deps.database.current();
  const { electron, chrome, node } = deps.versions;
  const runtime = [electron && `Electron ${electron}`, chrome && `Chromium ${chrome}`, node && `Node ${node}`].filter(Boolean).join(', ');
  return {
    message: `${deps.appName} ${deps.version}`,
    detail: [
      `Data folder: ${deps.dataDir}`,
      `Database version: ${current === null ? 'not migrated' : current}`,
      ...(runtime ? [runtime] : []),
    ].join('\n'),
  };
}

export function createDesktopActions(deps: DesktopActionDeps): DesktopActions {
  const icon = deps.icon !== undefined ? { icon: deps.icon } : {};
  return {
    async openDataFolder() {
      // openPath answers an error message instead of throwing.
      const problem = await deps.openPath(deps.dataDir);
      if (problem) {
        await deps.showMessageBox({ type: 'error', title: 'Open data folder', message: 'The data folder could not be opened', detail: `${problem}\n\n${deps.dataDir}` });
      }
    },

    async backUpNow() {
      const file = localPathOf(deps.database.url);
      if (!file) {
        await deps.showMessageBox({ type: 'info', title: 'Back up now', message: 'This database cannot be backed up from here', detail: 'Backups need a local database file; this one is remote or in memory.', ...icon });
        return null;
      }
      let backup: string;
      try {
        backup = await takeBackup(deps.database.client, file, { label: 'manual' });
      } catch (error) {
        deps.logger.error('backup failed', error);
        const reason = error instanceof Error ? error.message : String(error);
        await deps.showMessageBox({ type: 'error', title: 'Back up now', message: 'The backup failed', detail: `${reason}\n\nYour data was not changed.` });
        return null;
      }
      const { response } = await deps.showMessageBox({
        type: 'info',
        title: 'Back up now',
        message: 'Backup saved',
        detail: `${backup}\n\nManual backups are kept until you delete them.`,
        buttons: ['OK', 'Show in Folder'],
        defaultId: 0,
        cancelId: 0,
        ...icon,
      });
      if (response === 1) deps.showItemInFolder(backup);
      return backup;
    },

    async showAbout() {
      const { message, detail } = aboutText(deps);
      await deps.showMessageBox({ type: 'info', title: `About ${deps.appName}`, message, detail, buttons: ['OK'], ...icon });
    },
  };
}
