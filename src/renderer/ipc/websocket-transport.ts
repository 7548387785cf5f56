// The browser host's transport: one WebSocket carrying requests, answers and pushed events.
// It reconnects with backoff; calls made while disconnected wait for the connection (up to
// `connectTimeoutMs`), calls in flight when the socket drops fail (they may or may not have run).
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  getRequestDef,
  PaddockError,
  isEnvelope,
  WS_PROTOCOL,
  WS_TOKEN_PROTOCOL_PREFIX,
  type Envelope,
  type PaddockTransport,
  type RequestChannel,
} from '../../shared/ipc';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WebSocketTransportOptions {
  url: string;
  token: string | null;
  /** Injected in tests; the page's WebSocket otherwise. */
  WebSocketImpl?: typeof WebSocket;
  connectTimeoutMs?: number;
  maxBackoffMs?: number;
}

export interface WebSocketTransport extends PaddockTransport {
  readonly state: ConnectionState;
  /** Notified on every state change (the UI shows a "reconnecting" banner, refetches on open). */
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

interface Pending {
  resolve: (envelope: Envelope) => void;
  reject: (error: PaddockError) => void;
  text: string;
  sent: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

const encoder = new TextEncoder();

/** Byte length without encoding the common cases: UTF-8 needs between 1 and 3 bytes per UTF-16 unit. */
function exceeds(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return encoder.encode(text).byteLength > limit;
}

// eslint-disable-next-line max-lines-per-function -- one closure over the connection's state (socket, pending calls, backoff); its inner functions are each a few lines
export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'closed';
  let nextId = 1;
  let attempt = 0;
  let closedByUser = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  const settle = (id: number, envelope: Envelope) => {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    entry.resolve(envelope);
  };

  const failEntry = (id: number, error: PaddockError) => {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    entry.reject(error);
  };

  const flushQueued = () => {
    for (const entry of pending.values()) {
      if (entry.sent || !socket || socket.readyState !== Impl.OPEN) continue;
      socket.send(entry.text);
      entry.sent = true;
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
    }
  };

  const onMessage = (raw: unknown) => {
    if (typeof raw !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    if (m.type === 'event' && typeof m.event === 'string') {
      for (const listener of [...listeners]) listener(m.event, m.payload);
    } else if (m.type === 'result' && typeof m.id === 'number') {
      if (isEnvelope(m.result)) settle(m.id, m.result);
      else failEntry(m.id, new PaddockError('INTERNAL', 'Malformed answer from Paddock'));
    }
  };

  const scheduleReconnect = () => {
    if (closedByUser || reconnectTimer) return;
    // Exponential backoff with jitter so many tabs do not reconnect in lockstep.
    const delay = Math.min(maxBackoffMs, 200 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  };

  const connect = () => {
    if (closedByUser || !options.token) return;
    setState('connecting');
    let ws: WebSocket;
    try {
      ws = new Impl(options.url, [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${options.token}`]);
    } catch {
      setState('closed');
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
      flushQueued();
    };
    ws.onmessage = (event: MessageEvent) => onMessage(event.data);
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      const tooLarge = event.code === 1009;
      for (const [id, entry] of [...pending]) {
        if (!entry.sent) continue;
        failEntry(
          id,
          tooLarge
            ? new PaddockError('VALIDATION', 'The request was too large for Paddock to accept', { reason: 'PAYLOAD_TOO_LARGE' })
            : new PaddockError('INTERNAL', 'The connection to Paddock was lost before it answered'),
        );
      }
      setState('closed');
      scheduleReconnect();
    };
  };

  const invoke = (channel: RequestChannel, payload: unknown): Promise<Envelope> =>
    new Promise<Envelope>((resolve, reject) => {
      if (!options.token) {
        reject(new PaddockError('FORBIDDEN', 'No access token: open the exact link printed by `paddock serve`.'));
        return;
      }
      if (closedByUser) {
        reject(new PaddockError('INTERNAL', 'The connection to Paddock is closed'));
        return;
      }
      const id = nextId++;
      let text: string;
      try {
        text = JSON.stringify({ id, channel, payload });
      } catch (error) {
        reject(new PaddockError('VALIDATION', `The request cannot be sent: ${(error as Error).message}`));
        return;
      }
      const limit = getRequestDef(channel).maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
      if (exceeds(text, limit)) {
        reject(new PaddockError('VALIDATION', `The request is larger than ${limit} bytes`, { reason: 'PAYLOAD_TOO_LARGE', limit }));
        return;
      }
      const entry: Pending = { resolve, reject, text, sent: false, timer: null };
      pending.set(id, entry);
      if (socket && socket.readyState === Impl.OPEN) {
        socket.send(text);
        entry.sent = true;
      } else {
        entry.timer = setTimeout(
          () => failEntry(id, new PaddockError('INTERNAL', 'Paddock is not reachable; is `paddock serve` still running?')),
          connectTimeoutMs,
        );
        if (!socket && !reconnectTimer) connect();
      }
    });

  connect();

  return {
    get state() {
      return state;
    },
    invoke,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close();
      socket = null;
      for (const id of [...pending.keys()]) failEntry(id, new PaddockError('INTERNAL', 'The connection to Paddock is closed'));
      setState('closed');
    },
  };
}
