// Message shapes between the renderer and the hosts. The WebSocket carries these as JSON text
// frames; the Electron preload exposes a PaddockBridge. Both are turned into a PaddockTransport
// on the renderer side, then into window.paddock by createPaddockApi.
import type { RequestChannel } from './contract';
import type { Envelope } from './result';

/** The WebSocket subprotocol spoken by the browser host. */
export const WS_PROTOCOL = 'paddock.v1';
/**
 * The token travels as a second offered subprotocol, `paddock.token.<token>`: browsers cannot
 * set headers on a WebSocket, and unlike a query parameter it does not end up in URLs or logs.
 */
export const WS_TOKEN_PROTOCOL_PREFIX = 'paddock.token.';
/** Tokens are URL- and header-safe so they fit in a fragment and a subprotocol name. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;
/** Path of the WebSocket endpoint on the browser host. */
export const WS_PATH = '/ws';

export type RequestId = string | number;

/** Renderer -> host. */
export interface WireRequest {
  id: RequestId;
  channel: string;
  payload?: unknown;
}

/** Host -> renderer: the answer to one request (id null when the request could not be read). */
export interface WireResult {
  type: 'result';
  id: RequestId | null;
  result: Envelope;
}

/** Host -> renderer: a pushed event. */
export interface WireEvent {
  type: 'event';
  event: string;
  payload: unknown;
}

export type WireMessage = WireResult | WireEvent;

/**
 * What the Electron preload exposes as `window.paddockBridge`: one function per contract
 * channel (never a generic ipcRenderer) returning the raw envelope. The PaddockError is built
 * in the page's own world because errors crossing contextBridge lose their custom fields.
 */
export interface PaddockBridge {
  readonly invoke: { readonly [C in RequestChannel]: (payload: unknown) => Promise<Envelope> };
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

/** Electron IPC channel names: one per contract channel plus one for pushed events. */
export const ELECTRON_CHANNEL_PREFIX = 'paddock:';
export const ELECTRON_EVENT_CHANNEL = 'paddock:event';
export function electronChannel(channel: RequestChannel): string {
  return `${ELECTRON_CHANNEL_PREFIX}${channel}`;
}
