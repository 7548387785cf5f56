import { isRequestChannel, PaddockError, type PaddockBridge, type PaddockTransport } from '../../shared/ipc';

/** Wraps the Electron preload's bridge (one function per channel) as a transport. */
export function createBridgeTransport(bridge: PaddockBridge): PaddockTransport {
  return {
    invoke(channel, payload) {
      if (!isRequestChannel(channel)) return Promise.reject(new PaddockError('VALIDATION', `Unknown channel ${String(channel)}`));
      return bridge.invoke[channel](payload);
    },
    subscribe(listener) {
      return bridge.subscribe(listener);
    },
  };
}
