// Builds the object the preload exposes as `window.paddockBridge`: one function per contract
// channel, each bound to its own IPC channel name, and a subscribe that forwards only the
// event name and payload (never the IpcRendererEvent, which would leak ipcRenderer).
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import {
  ELECTRON_EVENT_CHANNEL,
  electronChannel,
  REQUEST_CHANNELS,
  type Envelope,
  type PaddockBridge,
  type RequestChannel,
} from '../shared/ipc';

export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): PaddockBridge {
  const invoke = {} as Record<RequestChannel, (payload: unknown) => Promise<Envelope>>;
  for (const channel of REQUEST_CHANNELS) {
    const name = electronChannel(channel);
    invoke[channel] = (payload: unknown) => ipc.invoke(name, payload) as Promise<Envelope>;
  }
  return {
    invoke: Object.freeze(invoke),
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
      const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
        if (typeof name === 'string') listener(name, payload);
      };
      ipc.on(ELECTRON_EVENT_CHANNEL, handler);
      return () => {
        ipc.removeListener(ELECTRON_EVENT_CHANNEL, handler);
      };
    },
  };
}
