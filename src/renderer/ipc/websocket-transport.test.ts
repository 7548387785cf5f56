// The browser transport against a scripted fake WebSocket: subprotocol token, request/answer
// matching, events, queueing while connecting, failure of in-flight calls on a drop, reconnect,
// and the client-side size check.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPaddockApi, DEFAULT_MAX_PAYLOAD_BYTES, PaddockError } from '../../shared/ipc';
import { takeToken } from './token';
import { createWebSocketTransport } from './websocket-transport';

class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.instances.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.drop(1000);
  }
  // Test controls.
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  answer(index: number, result: unknown) {
    const { id } = JSON.parse(this.sent[index]!) as { id: number };
    this.onmessage?.({ data: JSON.stringify({ type: 'result', id, result }) });
  }
  push(event: string, payload: unknown) {
    this.onmessage?.({ data: JSON.stringify({ type: 'event', event, payload }) });
  }
  drop(code = 1006) {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code });
  }
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function setup(token: string | null = 'token-1234567890abcdef') {
  const transport = createWebSocketTransport({ url: 'ws://127.0.0.1:9/ws', token, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
  return { transport, api: createPaddockApi(transport), socket: () => FakeSocket.instances[FakeSocket.instances.length - 1]! };
}

describe('websocket transport', () => {
  it('offers the token as a subprotocol and matches answers to calls', async () => {
    const { api, socket } = setup();
    expect(socket().protocols).toEqual(['paddock.v1', 'paddock.token.token-1234567890abcdef']);
    const pending = api.agents.get({ id: 'a' });
    expect(socket().sent).toEqual([]); // queued until open
    socket().open();
    expect(JSON.parse(socket().sent[0]!)).toMatchObject({ channel: 'agents.get', payload: { id: 'a' } });
    socket().answer(0, { ok: true, data: { id: 'a' } });
    await expect(pending).resolves.toEqual({ id: 'a' });
    const failing = api.agents.get({ id: 'b' });
    socket().answer(1, { ok: false, error: { code: 'NOT_FOUND', message: 'gone' } });
    await expect(failing).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'gone' });
  });

  it('delivers pushed events', () => {
    const { api, socket } = setup();
    socket().open();
    const seen: unknown[] = [];
    api.on('agents.changed', (payload) => seen.push(payload));
    socket().push('agents.changed', { agentId: 'x', change: 'created' });
    expect(seen).toEqual([{ agentId: 'x', change: 'created' }]);
  });

  it('fails calls in flight when the socket drops, then reconnects with backoff', async () => {
    const { api, socket, transport } = setup();
    const states: string[] = [];
    transport.onStateChange((s) => states.push(s));
    socket().open();
    const inFlight = api.db.status();
    const first = socket();
    first.drop();
    await expect(inFlight).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(transport.state).toBe('closed');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.instances.length).toBe(2);
    socket().open();
    expect(states).toEqual(['open', 'closed', 'connecting', 'open']);
    const again = api.db.status();
    socket().answer(0, { ok: true, data: { ok: 1 } });
    await expect(again).resolves.toEqual({ ok: 1 });
  });

  it('times out calls that wait for a connection that never comes', async () => {
    const { api } = setup();
    const waiting = api.app.info();
    const assertion = expect(waiting).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('not reachable') });
    await vi.advanceTimersByTimeAsync(16_000);
    await assertion;
  });

  it('refuses oversized requests before sending and reports a missing token', async () => {
    const { api, socket } = setup();
    socket().open();
    await expect(api.agents.create({ name: 'x'.repeat(DEFAULT_MAX_PAYLOAD_BYTES) })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'PAYLOAD_TOO_LARGE' },
    });
    expect(socket().sent).toEqual([]);
    const { api: noToken } = setup(null);
    const error = await noToken.agents.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaddockError);
    expect(error).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('token handling', () => {
  it('takes the token from the fragment, stores it and strips it from the URL', () => {
    const store = new Map<string, string>();
    const replaced: string[] = [];
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const token = takeToken({ location: { hash: '#token=abc123&view=x', pathname: '/', search: '?q=1' }, storage, replaceUrl: (u) => replaced.push(u) });
    expect(token).toBe('abc123');
    expect(replaced).toEqual(['/?q=1#view=x']);
    // A reload has no fragment any more: the stored token is used.
    expect(takeToken({ location: { hash: '', pathname: '/', search: '' }, storage, replaceUrl: (u) => replaced.push(u) })).toBe('abc123');
    expect(replaced).toHaveLength(1);
    expect(takeToken({ location: { hash: '', pathname: '/', search: '' }, storage: null, replaceUrl: () => {} })).toBeNull();
  });
});
