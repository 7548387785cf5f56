// The Electron layer against a small fake of the Electron API surface it uses (the Electron
// binary cannot run here): secure window options, sender validation, one handler per contract
// channel, navigation and window.open policy, window state, menu, app:// paths, recovery text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { ELECTRON_EVENT_CHANNEL, REQUEST_CHANNELS, ok, type Envelope } from '../../shared/ipc';
import { createDispatch, type Dispatch, type Handlers } from '../ipc/dispatcher';
import { RawJson } from '../raw-json';
import { EventBus } from '../ipc/events';
import { resolveAppFile } from './app-protocol';
import { forwardEvents, registerContractHandlers } from './ipc';
import { buildMenuTemplate } from './menu';
import { createSafeStorageSecretBox } from './secrets';
import { APP_ORIGIN, hardenWebContents, isSafeExternalUrl, isTrustedFrame, mainWindowOptions, trustedOrigin } from './security';
import { recoveryMessage, splashWindowOptions, statusPageUrl } from './startup-screens';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, saveWindowState } from './window-state';

const quiet = { error: () => {}, warn: () => {} };

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, payload: unknown) => Promise<Envelope>>();
  return {
    handlers,
    handle: vi.fn((channel: string, listener: (event: IpcMainInvokeEvent, payload: unknown) => Promise<Envelope>) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };
}

function frame(url: string, parent: object | null = null) {
  return { url, parent } as unknown as IpcMainInvokeEvent['senderFrame'];
}

function eventFrom(senderFrame: IpcMainInvokeEvent['senderFrame']): IpcMainInvokeEvent {
  return { senderFrame } as IpcMainInvokeEvent;
}

describe('window options', () => {
  it('keep every secure default on', () => {
    const options = mainWindowOptions('/app/preload/index.cjs', { width: 800, height: 600 });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(options.show).toBe(false);
    const splash = splashWindowOptions().webPreferences!;
    expect(splash).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, javascript: false });
    expect(splash.preload).toBeUndefined();
  });
});

describe('sender validation', () => {
  it('accepts only our own top-level frame', () => {
    expect(isTrustedFrame(frame(`${APP_ORIGIN}/index.html`), APP_ORIGIN)).toBe(true);
    expect(isTrustedFrame(frame(`${APP_ORIGIN}/index.html`, {}), APP_ORIGIN)).toBe(false);
    expect(isTrustedFrame(frame('https://evil.example/'), APP_ORIGIN)).toBe(false);
    expect(isTrustedFrame(frame('app://paddock.evil/index.html'), APP_ORIGIN)).toBe(false);
    expect(isTrustedFrame(frame('file:///etc/passwd'), APP_ORIGIN)).toBe(false);
    expect(isTrustedFrame(frame('not a url'), APP_ORIGIN)).toBe(false);
    expect(isTrustedFrame(null, APP_ORIGIN)).toBe(false);
    const dev = trustedOrigin('http://localhost:5173/');
    expect(isTrustedFrame(frame('http://localhost:5173/index.html'), dev)).toBe(true);
    expect(isTrustedFrame(frame('http://localhost:5174/'), dev)).toBe(false);
  });
});

describe('contract handlers', () => {
  it('registers one handler per contract channel and removes them again', () => {
    const ipcMain = fakeIpcMain();
    const dispose = registerContractHandlers({ ipcMain, dispatch: async () => ok(null), isTrustedSender: () => true, logger: quiet });
    expect([...ipcMain.handlers.keys()].sort()).toEqual(REQUEST_CHANNELS.map((c) => `paddock:${c}`).sort());
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('refuses a foreign frame before dispatching, and dispatches for our own', async () => {
    const ipcMain = fakeIpcMain();
    const dispatch = vi.fn<Dispatch>(async (channel, payload) => ok({ channel, payload }));
    registerContractHandlers({
      ipcMain,
      dispatch,
      isTrustedSender: (event) => isTrustedFrame(event.senderFrame, APP_ORIGIN),
      logger: quiet,
    });
    const handler = ipcMain.handlers.get('paddock:agents.list')!;
    expect(await handler(eventFrom(frame('https://evil.example/')), {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handler(eventFrom(frame(`${APP_ORIGIN}/`, {})), {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handler(eventFrom(null), {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(dispatch).not.toHaveBeenCalled();
    expect(await handler(eventFrom(frame(`${APP_ORIGIN}/index.html`)), { search: 'x' })).toEqual(
      ok({ channel: 'agents.list', payload: { search: 'x' } }),
    );
  });

  it('delivers a RawJson answer as plain structured-clonable objects', async () => {
    const ipcMain = fakeIpcMain();
    const text = '{"items":[{"id":"a","costUsd":0.0,"content":"é 😀","toolArgs":{"x":[1,2]}}],"nextCursor":"YTow"}';
    const handlers = { 'logs.page': () => new RawJson(text) } as unknown as Handlers;
    registerContractHandlers({ ipcMain, dispatch: createDispatch(handlers, quiet), isTrustedSender: () => true, logger: quiet });
    const answer = await ipcMain.handlers.get('paddock:logs.page')!(eventFrom(frame(`${APP_ORIGIN}/index.html`)), {
      sessionId: '01900000-0000-7000-8000-000000000001',
    });
    expect(answer).toEqual({ ok: true, data: JSON.parse(text) });
    // What ipcMain.handle's structured clone delivers to the renderer: the same plain objects.
    expect(structuredClone(answer)).toEqual(answer);
    expect(answer.ok && Object.getPrototypeOf(answer.data)).toBe(Object.prototype);
  });

  it('forwards events to the window, payload only', () => {
    const bus = new EventBus(quiet);
    const send = vi.fn();
    let destroyed = false;
    const stop = forwardEvents(bus.subscribe, () => ({ send, isDestroyed: () => destroyed }));
    bus.emit('agents.changed', { agentId: '01900000-0000-7000-8000-000000000001', change: 'created' });
    expect(send).toHaveBeenCalledWith(ELECTRON_EVENT_CHANNEL, 'agents.changed', { agentId: '01900000-0000-7000-8000-000000000001', change: 'created' });
    destroyed = true;
    bus.emit('agents.changed', { agentId: '01900000-0000-7000-8000-000000000001', change: 'updated' });
    stop();
    expect(send).toHaveBeenCalledTimes(1);
  });
});

describe('navigation and new windows', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    return {
      contents: {
        on: (name: string, listener: (event: { preventDefault(): void }, url: string) => void) => {
          listeners.set(name, listener);
        },
        setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
          openHandler = handler;
        },
      },
      navigate(name: string, url: string): boolean {
        let prevented = false;
        listeners.get(name)!({ preventDefault: () => (prevented = true) }, url);
        return prevented;
      },
      open: (url: string) => openHandler!({ url }),
    };
  }

  it('denies every new window, sends only plain https links outside, and blocks foreign navigation', () => {
    const fake = fakeContents();
    const opened: string[] = [];
    hardenWebContents(fake.contents as never, APP_ORIGIN, (url) => opened.push(url));
    for (const url of ['https://example.com/docs', 'http://example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@example.com/']) {
      expect(fake.open(url)).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://example.com/docs']);
    expect(fake.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fake.navigate('will-navigate', `${APP_ORIGIN}/index.html#/agents`)).toBe(false);
    expect(isSafeExternalUrl('https://example.com')).toBe(true);
    expect(isSafeExternalUrl('mailto:a@b.c')).toBe(false);
  });
});

describe('window state', () => {
  it('round-trips, ignores a broken file and brings an off-screen window back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-window-'));
    try {
      const file = path.join(dir, 'window-state.json');
      expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
      fs.writeFileSync(file, '{"width": "huge"');
      expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
      saveWindowState(file, { x: 10, y: 20, width: 900, height: 700, maximized: true });
      expect(loadWindowState(file)).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(fitToDisplays({ x: 100, y: 100, width: 800, height: 600, maximized: false }, screen)).toEqual({ x: 100, y: 100, width: 800, height: 600 });
    expect(fitToDisplays({ x: 5000, y: 100, width: 800, height: 600, maximized: false }, screen)).toEqual({ width: 800, height: 600 });
    expect(fitToDisplays({ width: 4000, height: 3000, maximized: false }, screen)).toEqual({ width: 1920, height: 1080 });
  });
});

describe('menu, app protocol, startup screens, secrets', () => {
  it('builds the usual menu without developer tools in a packaged app', () => {
    const template = buildMenuTemplate({ platform: 'linux', appName: 'Paddock', isPackaged: true, openDataFolder: () => {}, backUpNow: () => {}, showAbout: () => {}, openWebsite: () => {} });
    const json = JSON.stringify(template);
    expect(json).toContain('"role":"editMenu"');
    expect(json).toContain('"role":"quit"');
    expect(json).not.toContain('toggleDevTools');
    const mac = buildMenuTemplate({ platform: 'darwin', appName: 'Paddock', isPackaged: false, openDataFolder: () => {}, backUpNow: () => {}, showAbout: () => {}, openWebsite: () => {} });
    expect(mac[0]!.label).toBe('Paddock');
    expect(JSON.stringify(mac)).toContain('toggleDevTools');
  });

  it('serves only files inside the renderer folder', () => {
    const root = path.resolve('/srv/renderer');
    expect(resolveAppFile(root, 'app://paddock/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://paddock/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
    expect(resolveAppFile(root, 'app://paddock/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile(root, 'app://paddock/%00')).toBeNull();
  });

  it('explains a refused database and escapes the status page', () => {
    const newer = recoveryMessage({ problems: [{ code: 'DB_NEWER_THAN_APP', migration: null, message: 'written by 9.0.0' }] }, '/data');
    expect(newer.detail).toContain('DB_NEWER_THAN_APP');
    expect(newer.detail).toContain('newer version of Paddock');
    expect(newer.detail).toContain('/data');
    const tampered = recoveryMessage({ problems: [{ code: 'CHECKSUM_MISMATCH', migration: '0001_agents.sql', message: 'changed' }] }, '/data');
    expect(tampered.detail).toContain('0001_agents.sql');
    expect(tampered.detail).toContain('backups');
    expect(decodeURIComponent(statusPageUrl('<b>', '<script>alert(1)</script>'))).not.toContain('<script>alert');
  });

  it('wraps safeStorage', () => {
    let available = true;
    const box = createSafeStorageSecretBox({
      isEncryptionAvailable: () => available,
      encryptString: (text: string) => Buffer.from(`enc:${text}`),
      decryptString: (buffer: Buffer) => buffer.toString().replace(/^enc:/, ''),
    });
    const sealed = box.encrypt('sk-secret');
    expect(sealed).not.toContain('sk-secret');
    expect(box.decrypt(sealed)).toBe('sk-secret');
    available = false;
    expect(box.isAvailable()).toBe(false);
    expect(() => box.encrypt('x')).toThrow(/not available/);
  });
});
