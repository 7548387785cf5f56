// The renderer's only door to main. Stores call `api()`; components never do. The ipc folder
// (owned by the transport layer) picks Electron's preload bridge or the WebSocket client.
import type { PaddockApi } from '../../shared/ipc';
import { getPaddockApi } from '../ipc';

export function api(): PaddockApi {
  return getPaddockApi();
}

export type { PaddockApi };
