// Pushed events from services to whichever hosts are attached (WebSocket clients, the
// Electron window). A listener that throws is logged and skipped; the emitter never fails.
import type { EventChannel, EventPayload } from '../../shared/ipc';
import { consoleLogger, type IpcLogger } from './errors';

export type EventListener = (event: EventChannel, payload: unknown) => void;
/** Subscribe to every event; returns the unsubscribe function. */
export type EventSource = (listener: EventListener) => () => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();
  readonly #logger: IpcLogger;

  constructor(logger: IpcLogger = consoleLogger) {
    this.#logger = logger;
  }

  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event, payload);
      } catch (error) {
        this.#logger.error(`listener for ${event} threw`, error);
      }
    }
  }

  readonly subscribe: EventSource = (listener) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  get size(): number {
    return this.#listeners.size;
  }
}
