// Builds `window.paddock` from the contract over any transport (Electron IPC, WebSocket, or an
// in-process one in tests), so both hosts give the renderer exactly the same object.
import type { ChannelOutput, ChannelParams, DomainName, Domains, EventChannel, EventPayload, RequestChannel } from './contract';
import { domains, isEventChannel } from './contract';
import { isEnvelope, PaddockError, type Envelope } from './result';

/** How an API object reaches main. `invoke` resolves with an envelope; it rejects only on transport failure. */
export interface PaddockTransport {
  invoke(channel: RequestChannel, payload: unknown): Promise<Envelope>;
  /** Receives every pushed event; returns an unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

type Method<C extends RequestChannel> =
  undefined extends ChannelParams<C>
    ? (input?: ChannelParams<C>) => Promise<ChannelOutput<C>>
    : (input: ChannelParams<C>) => Promise<ChannelOutput<C>>;

export type DomainApi<D extends DomainName> = {
  [M in keyof Domains[D]['requests'] & string]: `${D}.${M}` extends RequestChannel ? Method<`${D}.${M}`> : never;
};

/** The shape of `window.paddock`: `paddock.agents.list(...)`, `paddock.on('logs.appended', cb)`. */
export type PaddockApi = { readonly [D in DomainName]: DomainApi<D> } & {
  /** Subscribes to a pushed event; returns the unsubscribe function. */
  on<E extends EventChannel>(event: E, callback: (payload: EventPayload<E>) => void): () => void;
};

function toPaddockError(error: unknown): PaddockError {
  if (error instanceof PaddockError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PaddockError('INTERNAL', message || 'The connection to Paddock failed');
}

export function createPaddockApi(transport: PaddockTransport): PaddockApi {
  const api: Record<string, unknown> = {};
  for (const [domain, def] of Object.entries(domains)) {
    const methods: Record<string, (input?: unknown) => Promise<unknown>> = {};
    for (const method of Object.keys(def.requests)) {
      const channel = `${domain}.${method}` as RequestChannel;
      methods[method] = async (input?: unknown) => {
        let envelope: unknown;
        try {
          envelope = await transport.invoke(channel, input);
        } catch (error) {
          throw toPaddockError(error);
        }
        if (!isEnvelope(envelope)) throw new PaddockError('INTERNAL', `Malformed response on ${channel}`);
        if (!envelope.ok) throw PaddockError.fromInfo(envelope.error);
        return envelope.data;
      };
    }
    api[domain] = Object.freeze(methods);
  }

  // One transport subscription shared by every listener, opened on first use.
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let unsubscribeTransport: (() => void) | null = null;
  const dispatchEvent = (event: string, payload: unknown) => {
    const set = listeners.get(event);
    if (!set) return;
    for (const callback of [...set]) {
      try {
        callback(payload);
      } catch (error) {
        // One broken listener must not starve the others.
        console.error(`paddock: listener for ${event} threw`, error);
      }
    }
  };

  api.on = (event: unknown, callback: unknown) => {
    if (!isEventChannel(event)) throw new PaddockError('VALIDATION', `Unknown event ${String(event)}`);
    if (typeof callback !== 'function') throw new PaddockError('VALIDATION', 'on() needs a callback function');
    const cb = callback as (payload: unknown) => void;
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(cb);
    unsubscribeTransport ??= transport.subscribe(dispatchEvent);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(cb);
      if (set.size === 0) listeners.delete(event);
      if (listeners.size === 0 && unsubscribeTransport) {
        unsubscribeTransport();
        unsubscribeTransport = null;
      }
    };
  };
  return Object.freeze(api) as unknown as PaddockApi;
}

export type { EventPayload, ChannelOutput, ChannelParams };
