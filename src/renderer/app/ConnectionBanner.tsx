// Shown while the browser host's connection is down (the transport reconnects on its own), or
// while calls wait for a database another program holds (they are retried on their own), or
// while session logs cannot be saved (a full disk): they are kept in memory and saved later.
import { selectConnectionLost, selectDatabaseBusy, selectStorageProblem, useUiStore } from '../state/ui';

export function ConnectionBanner() {
  const lost = useUiStore(selectConnectionLost);
  const busy = useUiStore(selectDatabaseBusy);
  const storageProblem = useUiStore(selectStorageProblem);
  return (
    <div className="connection-banner-region" role="status" aria-live="polite">
      {lost ? (
        <div className="connection-banner" data-testid="connection-banner">
          <span className="spinner spinner-sm" aria-hidden="true" /> Connection to Paddock lost. Reconnecting…
        </div>
      ) : busy ? (
        <div className="connection-banner" data-testid="database-busy-banner">
          <span className="spinner spinner-sm" aria-hidden="true" /> Paddock&apos;s database is busy: another program is holding it.
          Waiting for it to be free…
        </div>
      ) : storageProblem ? (
        <div className="connection-banner" data-testid="storage-problem-banner">
          {storageProblem}
        </div>
      ) : null}
    </div>
  );
}
