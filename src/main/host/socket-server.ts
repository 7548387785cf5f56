// The contract over a WebSocket. Every frame gets an answer: a result envelope for its id, or
// a typed error with id null when the frame could not be read at all (binary, not JSON, no id).
// Nothing in a frame can throw past this module.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  fail,
  IMPORT_MAX_PAYLOAD_BYTES,
  WS_PATH,
  WS_PROTOCOL,
  type Envelope,
  type RequestId,
  type WireMessage,
} from '../../shared/ipc';
import type { Dispatch } from '../ipc/dispatcher';
import type { IpcLogger } from '../ipc/errors';
import { RawJson } from '../raw-json';
import type { EventSource } from '../ipc/events';
import { isAllowedOrigin, tokenFromProtocolHeader, tokensMatch, type OriginPolicy } from './access';

/** Frames above this close the socket (1009) before they are buffered; channel limits apply below it. */
export const SOCKET_MAX_PAYLOAD_BYTES = IMPORT_MAX_PAYLOAD_BYTES + 1024 * 1024;
/** A client that cannot keep up with events is dropped (it reconnects and refetches). */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
const MAX_ID_LENGTH = 100;

export interface SocketServerOptions {
  server: Server;
  token: string;
  policy: () => OriginPolicy;
  dispatch: Dispatch;
  subscribe: EventSource;
  logger: IpcLogger;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  // A bare HTTP answer on the raw socket: the handshake never happens, nothing is reachable.
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
  socket.destroy();
}

function readId(value: unknown): RequestId | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.length <= MAX_ID_LENGTH) return value;
  return null;
}

function rawSize(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, b) => sum + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

// eslint-disable-next-line max-lines-per-function -- one closure over the server's sockets and timers; its handlers are small inner functions that share that state
export function attachSocketServer(options: SocketServerOptions): { close(): Promise<void>; clients(): number } {
  const { logger } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: SOCKET_MAX_PAYLOAD_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });

  /** False when the socket is gone or too far behind (then closed); nothing must be sent. */
  const writable = (ws: WebSocket): boolean => {
    if (ws.readyState !== ws.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(1013, 'Too far behind');
      return false;
    }
    return true;
  };

  const send = (ws: WebSocket, message: WireMessage) => {
    if (!writable(ws)) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      logger.error('could not serialize an answer', error);
      if (message.type !== 'result') return;
      text = JSON.stringify({ ...message, result: fail('INTERNAL', 'The answer could not be encoded') });
    }
    ws.send(text);
  };

  const reply = (ws: WebSocket, id: RequestId | null, result: Envelope) => {
    if (result.ok && result.data instanceof RawJson) {
      // Already JSON text (a big log read): spliced into the frame as it is, never parsed and
      // re-stringified; the frame reads exactly as JSON.stringify of the parsed value would.
      if (writable(ws)) ws.send(`{"type":"result","id":${JSON.stringify(id)},"result":{"ok":true,"data":${result.data.json}}}`);
      return;
    }
    send(ws, { type: 'result', id, result });
  };

  const onMessage = async (ws: WebSocket, data: RawData, isBinary: boolean) => {
    if (isBinary) {
      reply(ws, null, fail('VALIDATION', 'Binary frames are not accepted; send JSON text', { reason: 'BAD_FRAME' }));
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      reply(ws, null, fail('VALIDATION', 'The message is not valid JSON', { reason: 'BAD_FRAME' }));
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      reply(ws, null, fail('VALIDATION', 'A request is a JSON object { id, channel, payload }', { reason: 'BAD_FRAME' }));
      return;
    }
    const request = message as Record<string, unknown>;
    const id = readId(request.id);
    if (id === null) {
      reply(ws, null, fail('VALIDATION', 'A request needs an id (a number or a short string)', { reason: 'BAD_FRAME' }));
      return;
    }
    let result: Envelope;
    try {
      result = await options.dispatch(request.channel, request.payload, { payloadBytes: rawSize(data), rawJson: true });
    } catch (error) {
      // dispatch does not throw; this is a last line of defence.
      logger.error('dispatch threw', error);
      result = fail('INTERNAL', 'Something went wrong in Paddock');
    }
    reply(ws, id, result);
  };

  const unsubscribe = options.subscribe((event, payload) => {
    if (wss.clients.size === 0) return;
    let text: string;
    try {
      text = JSON.stringify({ type: 'event', event, payload } satisfies WireMessage);
    } catch (error) {
      logger.error(`could not serialize event ${event}`, error);
      return;
    }
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.close(1013, 'Too far behind');
      else ws.send(text);
    }
  });

  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      void onMessage(ws, data, isBinary);
    });
    // ws reports protocol violations and oversized frames here and closes the socket itself.
    ws.on('error', (error) => logger.warn?.('websocket client error', error));
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      refuse(socket, 400, 'Bad Request');
      return;
    }
    if (pathname !== WS_PATH) {
      refuse(socket, 404, 'Not Found');
      return;
    }
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, options.policy())) {
      refuse(socket, 403, 'Forbidden');
      return;
    }
    const token = tokenFromProtocolHeader(req.headers['sec-websocket-protocol']);
    if (token === null || !tokensMatch(options.token, token)) {
      refuse(socket, 401, 'Unauthorized');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  options.server.on('upgrade', onUpgrade);

  return {
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        options.server.off('upgrade', onUpgrade);
        for (const ws of wss.clients) ws.close(1001, 'Paddock is shutting down');
        wss.close(() => resolve());
      }),
  };
}
