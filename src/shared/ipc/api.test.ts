import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Agent, Page, SessionWithConfig } from '../domain';
import { createPaddockApi, type PaddockApi, type PaddockTransport } from './api';
import { EVENT_CHANNELS, REQUEST_CHANNELS, isRequestChannel } from './contract';
import { PaddockError, fail, ok, type Envelope } from './result';

function fakeTransport(answer: (channel: string, payload: unknown) => Envelope | Promise<Envelope>) {
  const calls: Array<[string, unknown]> = [];
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const transport: PaddockTransport = {
    async invoke(channel, payload) {
      calls.push([channel, payload]);
      return answer(channel, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { transport, calls, listeners, emit: (e: string, p: unknown) => listeners.forEach((l) => l(e, p)) };
}

describe('contract', () => {
  it('names every channel <domain>.<method> and includes the required ones', () => {
    for (const required of [
      'agents.list', 'agents.get', 'agents.create', 'agents.update', 'agents.remove', 'agents.restore', 'agents.duplicate',
      'agents.versions', 'agents.export', 'agents.import', 'sessions.list', 'sessions.get', 'sessions.create',
      'sessions.update', 'sessions.remove', 'sessions.archive', 'sessions.export', 'sessions.import', 'logs.tree',
      'logs.page', 'logs.children', 'logs.search', 'db.status', 'app.info',
    ]) {
      expect(REQUEST_CHANNELS).toContain(required);
    }
    expect(EVENT_CHANNELS).toEqual(expect.arrayContaining(['logs.appended', 'logs.updated', 'sessions.statusChanged']));
    expect(isRequestChannel('__proto__')).toBe(false);
    expect(isRequestChannel('agents.constructor')).toBe(false);
  });
});

describe('createPaddockApi', () => {
  it('resolves with data and sends the channel and payload', async () => {
    const fake = fakeTransport(() => ok({ items: [], nextCursor: null }));
    const api = createPaddockApi(fake.transport);
    const page = await api.agents.list({ search: 'x' });
    expect(page).toEqual({ items: [], nextCursor: null });
    expect(fake.calls).toEqual([['agents.list', { search: 'x' }]]);
    expectTypeOf(page).toEqualTypeOf<Page<Agent>>();
    expectTypeOf(api.sessions.get).returns.resolves.toEqualTypeOf<SessionWithConfig>();
    expectTypeOf(api.app.info).parameters.toEqualTypeOf<[input?: Record<string, never> | undefined]>();
  });

  it('throws a PaddockError carrying the code on failure', async () => {
    const api = createPaddockApi(fakeTransport(() => fail('NOT_FOUND', 'No agent', { id: 'a' })).transport);
    const error = await api.agents.get({ id: '0190a000-0000-7000-8000-000000000000' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaddockError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'No agent', details: { id: 'a' } });
  });

  it('turns transport failures and malformed responses into INTERNAL errors', async () => {
    const broken = createPaddockApi({ invoke: () => Promise.reject(new Error('socket closed')), subscribe: () => () => {} });
    await expect(broken.db.status()).rejects.toMatchObject({ code: 'INTERNAL', message: 'socket closed' });
    const garbage = createPaddockApi(fakeTransport(() => ({ nope: 1 }) as unknown as Envelope).transport);
    await expect(garbage.db.status()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('delivers events to subscribers and unsubscribes', () => {
    const fake = fakeTransport(() => ok(null));
    const api: PaddockApi = createPaddockApi(fake.transport);
    const seen: unknown[] = [];
    const off = api.on('sessions.statusChanged', (payload) => {
      expectTypeOf(payload.to).toEqualTypeOf<'idle' | 'running' | 'waiting_for_user_input' | 'completed' | 'failed' | 'stopped' | 'interrupted' | 'budget_reached'>();
      seen.push(payload);
    });
    const throwing = api.on('sessions.statusChanged', () => {
      throw new Error('listener bug');
    });
    fake.emit('sessions.statusChanged', { a: 1 });
    fake.emit('logs.appended', { b: 2 });
    expect(seen).toEqual([{ a: 1 }]);
    off();
    throwing();
    expect(fake.listeners.size).toBe(0);
    fake.emit('sessions.statusChanged', { a: 2 });
    expect(seen).toHaveLength(1);
    expect(() => api.on('nope.nope' as 'logs.appended', () => {})).toThrow(PaddockError);
  });
});
