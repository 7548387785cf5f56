// The preload's bridge against a fake ipcRenderer: one function per contract channel bound to
// its own IPC name, events forwarded without the IpcRendererEvent.
import { describe, expect, it, vi } from 'vitest';
import { ELECTRON_EVENT_CHANNEL, REQUEST_CHANNELS, createPaddockApi } from '../shared/ipc';
import { createBridge } from './bridge';

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    listeners,
    invoke: vi.fn(async (channel: string, payload: unknown) => ({ ok: true, data: { channel, payload } })),
    on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      listeners.get(channel)?.delete(listener);
    }),
    emit(channel: string, ...args: unknown[]) {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'the ipcRenderer' }, ...args);
    },
  };
}

describe('preload bridge', () => {
  it('has exactly one invoker per contract channel, each on its own IPC channel', async () => {
    const ipc = fakeIpcRenderer();
    const bridge = createBridge(ipc as never);
    expect(Object.keys(bridge.invoke).sort()).toEqual([...REQUEST_CHANNELS].sort());
    expect(Object.isFrozen(bridge.invoke)).toBe(true);
    await bridge.invoke['sessions.get']({ id: 'x' });
    expect(ipc.invoke).toHaveBeenCalledWith('paddock:sessions.get', { id: 'x' });
    expect(Object.keys(bridge)).toEqual(['invoke', 'subscribe']);
  });

  it('forwards event name and payload only, and unsubscribes', () => {
    const ipc = fakeIpcRenderer();
    const bridge = createBridge(ipc as never);
    const seen: unknown[][] = [];
    const off = bridge.subscribe((...args) => seen.push(args));
    ipc.emit(ELECTRON_EVENT_CHANNEL, 'logs.appended', { sessionId: 's', nodes: [] });
    expect(seen).toEqual([['logs.appended', { sessionId: 's', nodes: [] }]]);
    off();
    expect(ipc.listeners.get(ELECTRON_EVENT_CHANNEL)!.size).toBe(0);
  });

  it('gives the renderer the same PaddockApi as the browser host', async () => {
    const ipc = fakeIpcRenderer();
    const bridge = createBridge(ipc as never);
    const api = createPaddockApi({ invoke: (channel, payload) => bridge.invoke[channel](payload), subscribe: bridge.subscribe });
    expect(await api.agents.list({ search: 'a' })).toEqual({ channel: 'paddock:agents.list', payload: { search: 'a' } });
  });
});
