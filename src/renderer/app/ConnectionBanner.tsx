// Shown while the browser host's connection is down (the transport reconnects on its own), or
// while calls wait for a database another program holds (they are retried on their own).
import { selectConnectionLost, selectDatabaseBusy, useUiStore } from '../state/ui';

export function ConnectionBanner() {
  const lost = useUiStore(selectConnectionLost);
  const busy = useUiStore(selectDatabaseBusy);
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
      ) : null}
    </div>
  );
}
