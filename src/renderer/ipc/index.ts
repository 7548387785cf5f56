// The renderer's one entry to main: `getPaddockApi()` returns the same PaddockApi in Electron
// (over the preload bridge) and in a browser (over the host's WebSocket), and publishes it as
// `window.paddock` so e2e tests can call it directly.
import { createPaddockApi, WS_PATH, type PaddockApi } from '../../shared/ipc';
import { createBridgeTransport } from './bridge-transport';
import { withBusyRetry } from './busy-retry';
import { takeToken } from './token';
import { createWebSocketTransport, type ConnectionState, type WebSocketTransport } from './websocket-transport';

export type { ConnectionState } from './websocket-transport';

let api: PaddockApi | null = null;
let socketTransport: WebSocketTransport | null = null;
const busyListeners = new Set<(busy: boolean) => void>();
const retryOptions = { onBusyChange: (busy: boolean) => busyListeners.forEach((listener) => listener(busy)) };

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function getPaddockApi(): PaddockApi {
  if (api) return api;
  if (window.paddockBridge) {
    api = createPaddockApi(withBusyRetry(createBridgeTransport(window.paddockBridge), retryOptions));
  } else {
    const token = takeToken({
      location: window.location,
      storage: sessionStorageOrNull(),
      replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
    });
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socketTransport = createWebSocketTransport({ url: `${scheme}://${window.location.host}${WS_PATH}`, token });
    api = createPaddockApi(withBusyRetry(socketTransport, retryOptions));
  }
  window.paddock = api;
  return api;
}

/** Which host serves this window. */
export function isElectronHost(): boolean {
  return Boolean(window.paddockBridge);
}

/** Connection state of the browser host's socket; always 'open' in Electron. */
export function getConnectionState(): ConnectionState {
  getPaddockApi();
  return socketTransport ? socketTransport.state : 'open';
}

/** Notified when the browser host's socket drops or comes back (refetch on 'open'). */
export function onConnectionStateChange(listener: (state: ConnectionState) => void): () => void {
  getPaddockApi();
  return socketTransport ? socketTransport.onStateChange(listener) : () => {};
}

/** Notified when calls start or stop waiting for a database another program holds. */
export function onDatabaseBusyChange(listener: (busy: boolean) => void): () => void {
  busyListeners.add(listener);
  return () => busyListeners.delete(listener);
}
