// The desktop app's share of the one-Paddock-per-database rule (src/main/host/instance-lock.ts):
// Electron's single-instance lock only sees other desktop apps, so the lock file beside the
// database is taken too, before the database is opened. Refused, the person is told who holds it.
import path from 'node:path';
import type { MessageBoxOptions } from 'electron';
import { DATABASE_FILE } from '../core';
import { acquireInstanceLock, describeOwner, InstanceLockedError, lockFileFor, type InstanceLock } from '../host/instance-lock';

export interface DataLockDeps {
  dataDir: string;
  showMessageBox: (options: MessageBoxOptions) => Promise<unknown>;
}

/** The data folder's lock, or null after telling the person another Paddock holds it. */
export async function lockDataFolder(deps: DataLockDeps): Promise<InstanceLock | null> {
  try {
    return acquireInstanceLock(lockFileFor(path.join(deps.dataDir, DATABASE_FILE)), { command: 'Paddock desktop app' });
  } catch (error) {
    if (!(error instanceof InstanceLockedError)) throw error;
    const who = error.owner ? `It is used by ${describeOwner(error.owner)}.` : error.message;
    await deps.showMessageBox({
      type: 'error',
      title: 'Paddock is already running',
      message: 'Another Paddock is using this data folder',
      detail: `${who}\n\nStop that Paddock first, then open this one again.\n\nData folder: ${deps.dataDir}`,
      buttons: ['Quit'],
    });
    return null;
  }
}
