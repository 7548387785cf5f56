// The contract over Electron IPC: one ipcMain.handle per contract channel, each checking the
// sender frame first and then handing the payload to the shared dispatcher (which validates
// it). Events go to the window on one channel, payload only.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  ELECTRON_EVENT_CHANNEL,
  electronChannel,
  fail,
  REQUEST_CHANNELS,
  type Envelope,
} from '../../shared/ipc';
import type { Dispatch } from '../ipc/dispatcher';
import type { IpcLogger } from '../ipc/errors';
import type { EventSource } from '../ipc/events';

export interface RegisterOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dispatch: Dispatch;
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean;
  logger: IpcLogger;
}

/** Registers every contract channel; returns a function that removes them again. */
export function registerContractHandlers(options: RegisterOptions): () => void {
  const channels = REQUEST_CHANNELS.map((channel) => {
    const name = electronChannel(channel);
    options.ipcMain.handle(name, async (event: IpcMainInvokeEvent, payload: unknown): Promise<Envelope> => {
      if (!options.isTrustedSender(event)) {
        options.logger.error(`refused ${name} from an untrusted frame ${event.senderFrame?.url ?? '(gone)'}`);
        return fail('FORBIDDEN', 'This frame may not call Paddock');
      }
      return options.dispatch(channel, payload);
    });
    return name;
  });
  return () => {
    for (const name of channels) options.ipcMain.removeHandler(name);
  };
}

/** Pushes contract events to the window (payload only; the preload hides the IPC event). */
export function forwardEvents(subscribe: EventSource, target: () => Pick<WebContents, 'send' | 'isDestroyed'> | null): () => void {
  return subscribe((event, payload) => {
    const contents = target();
    if (!contents || contents.isDestroyed()) return;
    contents.send(ELECTRON_EVENT_CHANNEL, event, payload);
  });
}
