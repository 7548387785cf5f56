// Fuzzing the WebSocket host: thousands of random and malformed payloads at every contract
// channel (plus unknown channels and broken frames). The server must answer each with a
// well-formed envelope, turn every payload the contract rejects into a VALIDATION error, never
// answer INTERNAL, and still serve a valid request at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  ERROR_CODES,
  getRequestDef,
  isEnvelope,
  REQUEST_CHANNELS,
  type Envelope,
  type RequestChannel,
} from '../../shared/ipc';
import { buildCli, connect, startServe, type ServeProcess } from './testing';
import { seededRandom } from '../../shared/seeded-random.js';

let cli: Awaited<ReturnType<typeof buildCli>>;
let serve: ServeProcess;

beforeAll(async () => {
  cli = await buildCli();
  serve = await startServe(cli.runner);
});

afterAll(async () => {
  await serve?.stop();
  cli?.cleanup();
});


const FIELD_NAMES = [
  'id', 'name', 'patch', 'data', 'sessionId', 'agentId', 'parentId', 'nodeId', 'query', 'limit', 'cursor', 'search',
  'deleted', 'archived', 'status', 'sort', 'order', 'overrides', 'expectedVersion', 'onConflict', 'cascade', 'afterSeq',
  '__proto__', 'constructor', 'toString', 'maxSteps', 'settings', 'format', 'version', 'nodes', 'chunks', 'session', 'agent',
];

function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 9 : 12));
  switch (pick) {
    case 0: return null;
    case 1: return rand() < 0.5;
    case 2: return Math.floor((rand() - 0.5) * 2 ** (rand() * 60));
    case 3: return [Number.MAX_SAFE_INTEGER + 2, -0, 1e308, -1e308, 0.5, -1][Math.floor(rand() * 6)];
    case 4: return uuidv7();
    case 5: return ['', ' ', 'x', '\u0000', '\ud800', '💥', '../../etc/passwd', "'; DROP TABLE agents; --", 'a'.repeat(300)][Math.floor(rand() * 9)];
    case 6: return ['idle', 'running', 'only', 'include', 'asc', 'desc', 'name', 'copy', 'error', 'paddock.session', 'paddock.agent'][Math.floor(rand() * 11)];
    case 7: return String.fromCharCode(...Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 0xffff)));
    case 8: return new Date(rand() * 4e12).toISOString();
    case 9: return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, depth + 1));
    default: {
      const obj: Record<string, unknown> = {};
      const n = Math.floor(rand() * 6);
      for (let i = 0; i < n; i += 1) obj[FIELD_NAMES[Math.floor(rand() * FIELD_NAMES.length)]!] = randomValue(rand, depth + 1);
      return obj;
    }
  }
}

/** A deeply nested JSON text (built as text: JSON.stringify itself would overflow the stack). */
function deepJson(levels: number, wrap: (inner: string) => string = (inner) => inner): string {
  return wrap(`${'[{"a":'.repeat(levels)}1${'}]'.repeat(levels)}`);
}

/** A copy of `value` with one randomly chosen spot replaced by a random value or removed. */
function mutate(value: unknown, rand: () => number): unknown {
  const copy = structuredClone(value);
  const path: Array<string | number> = [];
  let cursor: unknown = copy;
  while (typeof cursor === 'object' && cursor !== null && rand() < 0.8) {
    const keys = Array.isArray(cursor) ? cursor.map((_, i) => i) : Object.keys(cursor);
    if (keys.length === 0) break;
    const key = keys[Math.floor(rand() * keys.length)]!;
    path.push(key);
    cursor = (cursor as Record<string | number, unknown>)[key];
  }
  if (path.length === 0) return randomValue(rand);
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
  const last = path[path.length - 1]!;
  if (rand() < 0.2 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[last as string];
  else (parent as Record<string | number, unknown>)[last] = randomValue(rand);
  return copy;
}

/** Payloads for one channel: mutations of a valid one, random values, structural edge cases. */
function payloadsFor(channel: RequestChannel, rand: () => number, count: number, valid: unknown): unknown[] {
  const out: unknown[] = [undefined, null, 0, '', [], {}, { id: uuidv7() }, valid];
  while (out.length < count) out.push(rand() < 0.6 ? mutate(valid, rand) : randomValue(rand));
  return out;
}

/** One valid payload per channel, with real records for the ones that need them. */
async function validPayloads(client: Awaited<ReturnType<typeof connect>>): Promise<Record<RequestChannel, unknown>> {
  const agent = ((await client.call('agents.create', { name: 'Fuzz target' })) as { data: { id: string } }).data;
  const session = ((await client.call('sessions.create', { agentId: agent.id, goal: 'be fuzzed' })) as { data: { id: string } }).data;
  const agentExport = ((await client.call('agents.export', { id: agent.id })) as { data: unknown }).data;
  const sessionExport = ((await client.call('sessions.export', { id: session.id })) as { data: unknown }).data;
  const nodeId = uuidv7();
  const table: Record<string, unknown> = {
    'agents.list': { search: 'f', limit: 5 },
    'agents.create': { name: 'Fuzzed', maxSteps: 3 },
    'agents.update': { id: agent.id, patch: { description: 'changed' } },
    'agents.purge': { id: agent.id },
    'agents.duplicate': { id: agent.id },
    'agents.import': { data: agentExport },
    'sessions.list': { agentId: agent.id, status: ['idle'] },
    'sessions.create': { agentId: agent.id, name: 'fuzz session' },
    'sessions.update': { id: session.id, patch: { name: 'renamed' } },
    'sessions.import': { data: sessionExport },
    'logs.tree': { sessionId: session.id },
    'logs.page': { sessionId: session.id, limit: 10 },
    'logs.whole': { sessionId: session.id, maxNodes: 100, maxBytes: 1_000_000 },
    'logs.children': { sessionId: session.id, parentId: null },
    'logs.search': { query: 'fuzz', sessionId: session.id },
    'logs.searchPage': { query: 'fuzz', sessionId: session.id, order: 'tree', limit: 5 },
    'logs.count': { sessionId: session.id },
    'logs.chunks': { nodeId },
    'db.status': {},
    'app.info': {},
  };
  return Object.fromEntries(
    REQUEST_CHANNELS.map((channel) => [channel, channel in table ? table[channel] : { id: channel.startsWith('sessions.') ? session.id : agent.id }]),
  ) as Record<RequestChannel, unknown>;
}

function isTypedFailure(result: Envelope): boolean {
  return !result.ok && (ERROR_CODES as readonly string[]).includes(result.error.code) && typeof result.error.message === 'string';
}

describe('WebSocket host fuzzing', () => {
  it('answers thousands of random payloads on every channel with typed envelopes', async () => {
    const rand = seededRandom(20240601);
    const client = await connect(serve.port, serve.token);
    const valid = await validPayloads(client);
    let calls = 0;
    let rejectedByContract = 0;
    const internal: Array<{ channel: string; payload: unknown; result: Envelope }> = [];
    const malformedAccepted: Array<{ channel: string; payload: unknown }> = [];
    const channels: string[] = [...REQUEST_CHANNELS, 'nope', 'agents.nope', '__proto__', 'agents.__proto__', 'constructor', ''];
    for (const channel of channels) {
      const known = (REQUEST_CHANNELS as readonly string[]).includes(channel);
      const payloads = known ? payloadsFor(channel as RequestChannel, rand, 150, valid[channel as RequestChannel]) : [undefined, {}, randomValue(rand)];
      // Pipelined: all of a channel's calls are in flight at once.
      const results = await Promise.all(payloads.map((payload) => client.call(channel, payload)));
      results.forEach((result, i) => {
        calls += 1;
        const payload = payloads[i];
        expect(isEnvelope(result), `${channel} answered ${JSON.stringify(result)}`).toBe(true);
        if (!result.ok && result.error.code === 'INTERNAL') internal.push({ channel, payload, result });
        const valid = known && getRequestDef(channel as RequestChannel).input.safeParse(payload).success;
        if (!valid) {
          rejectedByContract += 1;
          if (!(isTypedFailure(result) && !result.ok && result.error.code === 'VALIDATION')) malformedAccepted.push({ channel, payload });
        } else if (!result.ok) {
          expect(isTypedFailure(result)).toBe(true);
        }
      });
    }
    // Nesting deep enough to overflow a recursive validator, on every channel.
    for (const channel of REQUEST_CHANNELS) {
      for (const text of [deepJson(50_000), deepJson(300, (inner) => `{"id":${inner}}`), deepJson(10_000, (inner) => `{"data":${inner}}`)]) {
        const result = await client.callText(channel, text);
        calls += 1;
        rejectedByContract += 1;
        if (!(isTypedFailure(result) && !result.ok && result.error.code === 'VALIDATION')) malformedAccepted.push({ channel, payload: text.slice(0, 40) });
      }
    }
    expect(internal.map((f) => `${f.channel}: ${JSON.stringify(f.result)}`)).toEqual([]);
    expect(malformedAccepted).toEqual([]);
    expect(calls).toBeGreaterThan(4_000);
    expect(rejectedByContract).toBeGreaterThan(2_000);
    client.close();
  }, 180_000);

  it('answers broken frames with id-less typed errors', async () => {
    const client = await connect(serve.port, serve.token);
    const frames: Array<[string | Buffer, boolean]> = [
      ['not json', false],
      ['{"id":', false],
      ['[]', false],
      ['null', false],
      ['42', false],
      ['"agents.list"', false],
      ['{}', false],
      ['{"channel":"agents.list"}', false],
      [`{"id":"${'x'.repeat(500)}","channel":"agents.list"}`, false],
      ['{"id":{"nested":1},"channel":"agents.list"}', false],
      [Buffer.from([0, 1, 2, 3, 255]), true],
      [Buffer.from('{"id":1,"channel":"agents.list"}'), true],
      [Buffer.from([0xff, 0xfe, 0xfd]), false],
    ];
    const rand = seededRandom(7);
    for (let i = 0; i < 300; i += 1) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
      frames.push([bytes, rand() < 0.5]);
    }
    let answered = 0;
    for (const [data, binary] of frames) {
      // Invalid UTF-8 in a text frame is a protocol violation: ws closes that socket (1007).
      if (!binary && Buffer.isBuffer(data) && !isValidUtf8(data)) continue;
      const result = await client.raw(data, binary);
      expect(isTypedFailure(result)).toBe(true);
      expect(!result.ok && result.error.code).toBe('VALIDATION');
      answered += 1;
    }
    expect(answered).toBeGreaterThan(150);
    client.close();
  });

  it('survives invalid UTF-8, oversized frames and payloads above a channel limit', async () => {
    const broken = await connect(serve.port, serve.token);
    const closed = new Promise<number>((resolve) => broken.ws.once('close', resolve));
    broken.ws.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false });
    expect(await closed).toBe(1007);

    const client = await connect(serve.port, serve.token);
    const big = 'x'.repeat(DEFAULT_MAX_PAYLOAD_BYTES + 10);
    expect(await client.call('agents.create', { name: big })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { reason: 'PAYLOAD_TOO_LARGE' } },
    });
    // Import channels accept more, so the same size reaches validation instead.
    expect(await client.call('agents.import', { data: { blob: big } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    client.close();

    const huge = await connect(serve.port, serve.token);
    const hugeClosed = new Promise<number>((resolve) => huge.ws.once('close', resolve));
    huge.ws.send(Buffer.alloc(260 * 1024 * 1024, 0x20), { binary: false });
    expect(await hugeClosed).toBe(1009);
  });

  it('is still alive and answering after all of it', async () => {
    expect(serve.proc.exitCode).toBeNull();
    const client = await connect(serve.port, serve.token);
    const created = await client.call('agents.create', { name: 'Still here' });
    expect(created).toMatchObject({ ok: true, data: { name: 'Still here' } });
    client.close();
    expect(serve.stderr()).not.toMatch(/uncaught|unhandled/i);
  });
});

function isValidUtf8(buffer: Buffer): boolean {
  return Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer);
}
