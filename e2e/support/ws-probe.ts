// A Node WebSocket client that speaks the browser host's wire protocol, for tests that must
// control what a browser would not let a page control (no token, a forged Origin header).
import WebSocket from 'ws';
import { WS_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../src/shared/ipc/wire';

export interface ProbeOptions {
  /** Offered as the `paddock.token.<token>` subprotocol; omitted when null. */
  token: string | null;
  /** The Origin header; none when undefined (a non-browser client). */
  origin?: string;
}

export type ProbeResult =
  | { opened: true; socket: WebSocket }
  | { opened: false; status: number | null; error: string };

/** Tries the handshake; resolves with the open socket or with how the host refused it. */
export function probeSocket(port: number, options: ProbeOptions): Promise<ProbeResult> {
  const protocols = [WS_PROTOCOL];
  if (options.token !== null) protocols.push(`${WS_TOKEN_PROTOCOL_PREFIX}${options.token}`);
  const socket = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, protocols, options.origin === undefined ? {} : { origin: options.origin });
  return new Promise((resolve) => {
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode ?? null, error: `HTTP ${res.statusCode}` });
      socket.terminate();
    });
    socket.once('error', (error) => resolve({ opened: false, status: null, error: error.message }));
  });
}

/** Sends one request over an open socket and resolves with the host's answer envelope. */
export function request(socket: WebSocket, channel: string, payload?: unknown): Promise<unknown> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: unknown; result?: unknown };
      if (message.type === 'result' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message.result);
      }
    };
    socket.on('message', onMessage);
    socket.once('close', () => reject(new Error('socket closed before the answer')));
    socket.send(JSON.stringify({ id, channel, payload }));
  });
}
