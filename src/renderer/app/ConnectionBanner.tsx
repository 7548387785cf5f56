// Shown while the browser host's connection is down; the transport reconnects on its own.
import { selectConnectionLost, useUiStore } from '../state/ui';

export function ConnectionBanner() {
  const lost = useUiStore(selectConnectionLost);
  return (
    <div className="connection-banner-region" role="status" aria-live="polite">
      {lost ? (
        <div className="connection-banner" data-testid="connection-banner">
          <span className="spinner spinner-sm" aria-hidden="true" /> Connection to Paddock lost. Reconnecting…
        </div>
      ) : null}
    </div>
  );
}
