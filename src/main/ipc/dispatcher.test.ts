import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PAYLOAD_BYTES, IMPORT_MAX_PAYLOAD_BYTES, PaddockError, REQUEST_CHANNELS } from '../../shared/ipc';
import { DatabaseError, DataError } from '../db/errors';
import { LogsError } from '../logs/errors';
import { RawJson } from '../raw-json';
import { createDispatch, dispatch, type Handlers } from './dispatcher';
import { BUSY_MESSAGE, type IpcLogger } from './errors';

const AGENT_ID = '01900000-0000-7000-8000-000000000001';


function setup(overrides: Partial<Record<string, (input: never) => unknown>> = {}) {
  const calls: Array<[string, unknown]> = [];
  const logged: unknown[] = [];
  const logger: IpcLogger = { error: (message, error) => logged.push([message, error]), warn: () => {} };
  const handlers = Object.fromEntries(
    REQUEST_CHANNELS.map((channel) => [
      channel,
      (input: unknown) => {
        calls.push([channel, input]);
        const override = overrides[channel];
        return override ? override(input as never) : { echoed: input };
      },
    ]),
  ) as unknown as Handlers;
  return { calls, logged, call: (channel: unknown, payload?: unknown, payloadBytes?: number) => dispatch(channel, payload, { handlers, logger, ...(payloadBytes === undefined ? {} : { payloadBytes }) }) };
}

describe('dispatch', () => {
  it('passes validated input with defaults applied and wraps the result', async () => {
    const { call, calls } = setup();
    const result = await call('agents.list', { search: 'bot' });
    expect(result).toEqual({
      ok: true,
      data: { echoed: { search: 'bot', deleted: 'exclude', sort: 'updatedAt', order: 'desc', limit: 50 } },
    });
    expect(calls).toHaveLength(1);
    expect(await call('app.info')).toMatchObject({ ok: true });
  });

  it.each([undefined, null, 42, 'nope.nope', '__proto__', 'agents.__proto__', 'agents.constructor', 'toString', { channel: 'agents.list' }])(
    'rejects unknown channel %j without calling anything',
    async (channel) => {
      const { call, calls } = setup();
      const result = await call(channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { reason: 'UNKNOWN_CHANNEL' } } });
      expect(calls).toHaveLength(0);
    },
  );

  it('rejects malformed payloads with a VALIDATION summary naming the field', async () => {
    const { call, calls } = setup();
    const result = await call('agents.update', { id: AGENT_ID, patch: { maxSteps: 'many' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.message).toContain('patch.maxSteps');
    expect(result.error.details).toMatchObject({ issues: [{ path: ['patch', 'maxSteps'] }] });
    for (const bad of [null, 'x', [], { id: 'not-a-uuid' }, { id: AGENT_ID, extra: 1 }]) {
      expect(await call('agents.get', bad)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(calls).toHaveLength(0);
  });

  // The repositories take the contract's validated types and do not check these again.
  it.each([
    ['agents.list', { permissionMode: 'nope' }],
    ['agents.list', { limit: 0 }],
    ['agents.list', { limit: 501 }],
    ['agents.list', { sort: 'id' }],
    ['sessions.create', { agentId: AGENT_ID, overrides: { permissionMode: 'nope' } }],
    ['sessions.update', { id: AGENT_ID, patch: { overrides: { name: 'x' } } }],
    ['sessions.update', { id: AGENT_ID, patch: { overrides: { maxSteps: 0 } } }],
    ['sessions.update', { id: AGENT_ID, patch: { name: '' } }],
    ['sessions.update', { id: AGENT_ID, patch: { name: '   ' } }],
  ])('refuses %s %j at the boundary, before any repository', async (channel, payload) => {
    const { call, calls } = setup();
    expect(await call(channel, payload)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(calls).toHaveLength(0);
  });

  it('hands a blank new session name on as empty (the repository makes one up from the goal)', async () => {
    const { call, calls } = setup();
    expect(await call('sessions.create', { agentId: AGENT_ID, name: '   ' })).toMatchObject({ ok: true });
    expect(calls).toEqual([['sessions.create', { agentId: AGENT_ID, name: '' }]]);
  });

  it('refuses oversized payloads by channel limit', async () => {
    const { call, calls } = setup();
    expect(await call('agents.get', { id: AGENT_ID }, DEFAULT_MAX_PAYLOAD_BYTES + 1)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { reason: 'PAYLOAD_TOO_LARGE' } },
    });
    // Imports get the larger allowance, so the same size passes the size check (and then fails on content).
    expect(await call('sessions.import', { data: {} }, DEFAULT_MAX_PAYLOAD_BYTES + 1)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('data') },
    });
    expect(await call('sessions.import', {}, IMPORT_MAX_PAYLOAD_BYTES + 1)).toMatchObject({
      error: { details: { reason: 'PAYLOAD_TOO_LARGE' } },
    });
    expect(calls).toHaveLength(0);
  });

  it('refuses deeply nested payloads without overflowing the stack', async () => {
    const { call } = setup();
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(await call('agents.create', { name: 'x', settings: { deep } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { reason: 'TOO_DEEP' } },
    });
  });

  it('maps repository and Paddock errors to their codes and hides unexpected ones', async () => {
    const { call, logged } = setup({
      'agents.get': () => {
        throw new DataError('NOT_FOUND', 'No agent with this id');
      },
      'agents.update': async () => {
        throw new DataError('CONFLICT', 'The agent changed meanwhile');
      },
      'agents.purge': () => {
        throw new PaddockError('FORBIDDEN', 'Only trashed agents can be purged');
      },
      'agents.remove': () => {
        throw Object.assign(new Error('SQLITE_CONSTRAINT: FOREIGN KEY constraint failed'), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
      },
      'db.status': () => {
        throw new TypeError('secret internal detail /home/user/path');
      },
      'app.info': () => {
        throw 'a string, not an Error';
      },
    });
    expect(await call('agents.get', { id: AGENT_ID })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No agent with this id' } });
    expect(await call('agents.update', { id: AGENT_ID, patch: {} })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await call('agents.purge', { id: AGENT_ID })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('agents.remove', { id: AGENT_ID })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const internal = await call('db.status');
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('secret');
    expect(await call('app.info')).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(logged).toHaveLength(2);
  });

  it('maps the data layer by type: DataError subclasses by their stable kind, look-alikes not at all', async () => {
    const { call, logged } = setup({
      'logs.get': () => {
        throw new LogsError('INVALID_CURSOR', 'Invalid page cursor', { field: 'cursor' });
      },
      'logs.count': () => {
        throw new LogsError('FLUSH_FAILED', 'Log flush failed');
      },
      'agents.get': () => {
        throw new DataError('CONFLICT', 'agent x was changed by someone else', { currentVersion: 2 });
      },
      'agents.versions': () => {
        throw new DataError('BUSY', 'locked');
      },
      'agents.remove': () => {
        // Carries a contract code but is no DataError: not trusted (it may hold SQL or paths).
        throw Object.assign(new Error('/secret/path'), { code: 'NOT_FOUND', detail: { x: 1 } });
      },
      'db.status': () => {
        throw new DatabaseError('DISK_FULL', '/data/paddock.db', 'The disk is full');
      },
    });
    expect(await call('logs.get', { id: AGENT_ID })).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'Invalid page cursor', details: { field: 'cursor' } },
    });
    expect(await call('logs.count', { sessionId: AGENT_ID })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await call('agents.get', { id: AGENT_ID })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'agent x was changed by someone else', details: { currentVersion: 2 } },
    });
    expect(await call('agents.versions', { id: AGENT_ID })).toMatchObject({ ok: false, error: { code: 'BUSY', message: BUSY_MESSAGE } });
    const lookAlike = await call('agents.remove', { id: AGENT_ID });
    expect(lookAlike).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(lookAlike)).not.toContain('secret');
    expect(await call('db.status')).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(logged).toHaveLength(3);
  });

  it('parses a RawJson answer unless the transport asks for it as it is', async () => {
    const text = '{"items":[{"id":"a","costUsd":0.0,"metadata":{"k":[1,null]}}],"nextCursor":null}';
    const raw = new RawJson(text);
    const { call } = setup({ 'logs.page': () => raw });
    const payload = { sessionId: AGENT_ID, limit: 5 };
    const parsed = await call('logs.page', payload);
    expect(parsed).toEqual({ ok: true, data: { items: [{ id: 'a', costUsd: 0, metadata: { k: [1, null] } }], nextCursor: null } });
    if (!parsed.ok) return;
    expect(parsed.data).not.toBeInstanceOf(RawJson);

    const handlers = { 'logs.page': () => raw } as unknown as Handlers;
    const viaCreate = createDispatch(handlers, { error: () => {} });
    expect(await viaCreate('logs.page', payload)).toEqual(parsed);
    expect(await viaCreate('logs.page', payload, { rawJson: false })).toEqual(parsed);
    const passed = await viaCreate('logs.page', payload, { rawJson: true, payloadBytes: 10 });
    expect(passed.ok && passed.data).toBe(raw);
    // Input is still validated and failures are still envelopes when RawJson is allowed.
    expect(await viaCreate('logs.page', { ...payload, limit: 0 }, { rawJson: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
