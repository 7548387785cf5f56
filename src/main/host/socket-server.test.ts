// Answers that are already JSON text (RawJson, the log store's big reads) over a real socket:
// spliced into the frame, byte for byte, and the frame is valid JSON holding the same value
// the parsed path gives; failures keep their usual envelope.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PaddockError, REQUEST_CHANNELS, WS_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../shared/ipc';
import { createDispatch, type Dispatch, type Handlers } from '../ipc/dispatcher';
import { RawJson } from '../raw-json';
import { startBrowserHost, type BrowserHost } from './browser-host';

const TOKEN = 'socket-test-token-0123456789';
const SESSION = '01900000-0000-7000-8000-000000000001';
// Odd but valid JSON spellings SQLite produces (0.0, escapes, astral characters, nesting).
const PAGE_JSON = '{"items":[{"id":"a","costUsd":0.0,"content":"q\\" \\\\ \\u0001 é 😀","metadata":{"k":[1,2.5e3,null]}}],"nextCursor":"YTow"}';

let host: BrowserHost;
let seen: unknown[];

function handlers(): Handlers {
  const all = Object.fromEntries(REQUEST_CHANNELS.map((c) => [c, () => null])) as unknown as Handlers;
  return {
    ...all,
    'logs.page': (input) => {
      seen.push(input);
      return new RawJson(PAGE_JSON);
    },
    'logs.tree': () => {
      throw new PaddockError('NOT_FOUND', 'No such session');
    },
  };
}

async function start(dispatch: Dispatch): Promise<void> {
  host = await startBrowserHost({ host: '127.0.0.1', port: 0, token: TOKEN, dispatch, subscribe: () => () => {}, rendererDir: null, logger: { error: () => {} } });
}

function frames(): Promise<{ send(id: unknown, channel: string, payload: unknown): Promise<string>; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}`, [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${TOKEN}`], { origin: `http://127.0.0.1:${host.port}` });
  const waiting: Array<(text: string) => void> = [];
  ws.on('message', (data) => waiting.shift()?.(String(data)));
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        send: (id, channel, payload) =>
          new Promise<string>((done) => {
            waiting.push(done);
            ws.send(JSON.stringify({ id, channel, payload }));
          }),
        close: () => ws.close(),
      }),
    );
  });
}

beforeEach(() => {
  seen = [];
});

afterEach(async () => {
  await host?.close();
});

describe('socket server: RawJson answers', () => {
  it('splices the JSON text into the frame byte for byte, for number and string ids', async () => {
    await start(createDispatch(handlers(), { error: () => {} }));
    const client = await frames();
    try {
      const text = await client.send(7, 'logs.page', { sessionId: SESSION, limit: 10 });
      expect(text).toBe(`{"type":"result","id":7,"result":{"ok":true,"data":${PAGE_JSON}}}`);
      expect(JSON.parse(text)).toEqual({ type: 'result', id: 7, result: { ok: true, data: JSON.parse(PAGE_JSON) } });

      const quoted = 'id "with" quotes \\ and é';
      const text2 = await client.send(quoted, 'logs.page', { sessionId: SESSION, limit: 10 });
      expect(JSON.parse(text2)).toEqual({ type: 'result', id: quoted, result: { ok: true, data: JSON.parse(PAGE_JSON) } });
      // The handler got validated input with defaults, as for any other channel.
      expect(seen).toEqual([
        { sessionId: SESSION, limit: 10 },
        { sessionId: SESSION, limit: 10 },
      ]);
    } finally {
      client.close();
    }
  });

  it('answers the same value as a dispatcher that parses it first', async () => {
    const raw = createDispatch(handlers(), { error: () => {} });
    await start((channel, payload, options) => raw(channel, payload, { ...options, rawJson: false }));
    const client = await frames();
    try {
      const text = await client.send(1, 'logs.page', { sessionId: SESSION, limit: 10 });
      expect(text).toBe(JSON.stringify({ type: 'result', id: 1, result: { ok: true, data: JSON.parse(PAGE_JSON) } }));
    } finally {
      client.close();
    }
  });

  it('keeps failures and validation errors as ordinary envelopes', async () => {
    await start(createDispatch(handlers(), { error: () => {} }));
    const client = await frames();
    try {
      expect(JSON.parse(await client.send(2, 'logs.tree', { sessionId: SESSION }))).toEqual({
        type: 'result',
        id: 2,
        result: { ok: false, error: { code: 'NOT_FOUND', message: 'No such session' } },
      });
      const invalid = JSON.parse(await client.send(3, 'logs.page', { sessionId: SESSION, limit: 0 })) as { result: { ok: boolean; error: { code: string } } };
      expect(invalid.result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(seen).toEqual([]);
    } finally {
      client.close();
    }
  });
});
