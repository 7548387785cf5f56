// The desktop touches against a recording fake of the Electron calls they make (the Electron
// binary cannot run here): single instance and the shared data-folder lock, the menu's own items
// and what they do (on a real libsql database), links to new hosts, window state, desktop CSP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MenuItemConstructorOptions, MessageBoxOptions } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '@libsql/client';
import { APP_VERSION } from '../appVersion';
import { createTestDatabase, type TestDatabase } from '../db/testing';
import { acquireInstanceLock, lockFileFor, type InstanceLock } from '../host/instance-lock';
import { withPolicyHeader } from './app-protocol';
import { lockDataFolder } from './data-lock';
import { aboutText, createDesktopActions } from './desktop-actions';
import { createLinkOpener, MAX_KNOWN_HOSTS } from './external-links';
import { buildMenuTemplate } from './menu';
import { CONTENT_SECURITY_POLICY, DESKTOP_META_POLICY, mainWindowOptions, withDesktopPolicy } from './security';
import { claimSingleInstance } from './single-instance';
import { loadWindowState, trackWindowState } from './window-state';

/** Records every call made on it, in order, as `name(args)`; answers come from `answers`. */
function recorder<T extends object>(answers: Partial<Record<string, (...args: never[]) => unknown>> = {}) {
  const calls: Array<{ name: string; args: unknown[] }> = [];
  const listeners = new Map<string, Array<(...args: unknown[]) => void>>();
  const fake = new Proxy({} as Record<string, unknown>, {
    get(_target, name: string) {
      if (name === 'emit') return (event: string, ...args: unknown[]) => listeners.get(event)?.forEach((l) => l(...args));
      return (...args: unknown[]) => {
        calls.push({ name, args });
        if (name === 'on' || name === 'once') listeners.set(args[0] as string, [...(listeners.get(args[0] as string) ?? []), args[1] as (...a: unknown[]) => void]);
        const answer = answers[name];
        return answer ? (answer as (...a: unknown[]) => unknown)(...args) : undefined;
      };
    },
  });
  return { fake: fake as unknown as T & { emit(event: string, ...args: unknown[]): void }, calls, names: () => calls.map((c) => c.name) };
}

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-desktop-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('single instance', () => {
  it('a second launch quits at once and leaves the first alone', () => {
    const app = recorder<Parameters<typeof claimSingleInstance>[0]>({ requestSingleInstanceLock: () => false });
    expect(claimSingleInstance(app.fake, () => null, () => {})).toBe(false);
    expect(app.names()).toEqual(['requestSingleInstanceLock', 'quit']);
  });

  it('the first brings its minimized, hidden window to the front when another launch starts', () => {
    const app = recorder<Parameters<typeof claimSingleInstance>[0]>({ requestSingleInstanceLock: () => true });
    const win = recorder<NonNullable<ReturnType<Parameters<typeof claimSingleInstance>[1]>>>({
      isDestroyed: () => false,
      isMinimized: () => true,
      isVisible: () => false,
    });
    let reopened = 0;
    expect(claimSingleInstance(app.fake, () => win.fake, () => reopened++)).toBe(true);
    expect(app.names()).toEqual(['requestSingleInstanceLock', 'on']);
    expect(app.calls[1]!.args[0]).toBe('second-instance');
    app.fake.emit('second-instance');
    expect(win.names()).toEqual(['isDestroyed', 'isMinimized', 'restore', 'isVisible', 'show', 'focus']);
    expect(reopened).toBe(0);
  });

  it('opens a window for a later launch when none is open', () => {
    const app = recorder<Parameters<typeof claimSingleInstance>[0]>({ requestSingleInstanceLock: () => true });
    let reopened = 0;
    claimSingleInstance(app.fake, () => null, () => reopened++);
    app.fake.emit('second-instance');
    expect(reopened).toBe(1);
  });

  it('shares the data-folder lock: a second app on the same folder is refused and told who holds it', async () => {
    const dataDir = tempDir();
    const boxes: MessageBoxOptions[] = [];
    const showMessageBox = async (options: MessageBoxOptions) => void boxes.push(options);
    const first = await lockDataFolder({ dataDir, showMessageBox });
    expect(first).not.toBeNull();
    expect(fs.existsSync(lockFileFor(path.join(dataDir, 'paddock.db')))).toBe(true);
    expect(await lockDataFolder({ dataDir, showMessageBox })).toBeNull();
    expect(boxes).toHaveLength(1);
    expect(boxes[0]!.detail).toContain(`pid ${process.pid} (Paddock desktop app)`);
    expect(boxes[0]!.detail).toContain(dataDir);
    first!.release();
    const again = await lockDataFolder({ dataDir, showMessageBox });
    expect(again).not.toBeNull();
    again!.release();
  });

  it('is kept out by a `paddock serve` on the same folder, and keeps it out', async () => {
    const dataDir = tempDir();
    const lockFile = lockFileFor(path.join(dataDir, 'paddock.db'));
    const boxes: MessageBoxOptions[] = [];
    const serve: InstanceLock = acquireInstanceLock(lockFile, { command: 'paddock serve' });
    expect(await lockDataFolder({ dataDir, showMessageBox: async (o) => void boxes.push(o) })).toBeNull();
    expect(boxes[0]!.detail).toContain('paddock serve');
    serve.release();
    const desktop = await lockDataFolder({ dataDir, showMessageBox: async (o) => void boxes.push(o) });
    expect(() => acquireInstanceLock(lockFile, { command: 'paddock serve' })).toThrow(/Paddock desktop app/);
    desktop!.release();
  });
});

function menuItem(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  for (const item of template) {
    if (item.label === label) return item;
    const found = Array.isArray(item.submenu) ? item.submenu.find((i) => i.label === label) : undefined;
    if (found) return found;
  }
  throw new Error(`no menu item ${label}`);
}

describe('menu actions', () => {
  const clickAll = (platform: NodeJS.Platform) => {
    const done: string[] = [];
    const template = buildMenuTemplate({
      platform,
      appName: 'Paddock',
      isPackaged: true,
      openDataFolder: () => done.push('open'),
      backUpNow: () => done.push('backup'),
      showAbout: () => done.push('about'),
      openWebsite: () => done.push('web'),
    });
    for (const label of ['Open Data Folder', 'Back Up Now', 'About Paddock']) {
      (menuItem(template, label).click as () => void)();
    }
    return { done, template };
  };

  it('offers Open Data Folder, Back Up Now and About on every platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const { done, template } = clickAll(platform);
      expect(done).toEqual(['open', 'backup', 'about']);
      expect(JSON.stringify(template)).not.toContain('"role":"about"');
    }
    // macOS: About in the app menu; elsewhere under Help.
    expect(clickAll('darwin').template[0]!.submenu).toContainEqual(expect.objectContaining({ label: 'About Paddock' }));
    const help = clickAll('linux').template.find((item) => item.role === 'help')!;
    expect(help.submenu).toContainEqual(expect.objectContaining({ label: 'About Paddock' }));
  });

  let db: TestDatabase | null = null;
  afterEach(async () => {
    await db?.cleanup();
    db = null;
  });

  function actionsFor(database: TestDatabase, answers: { response?: number; openPath?: string } = {}) {
    const shell = recorder<{ openPath(p: string): Promise<string>; showItemInFolder(p: string): void }>({ openPath: async () => answers.openPath ?? '' });
    const boxes: MessageBoxOptions[] = [];
    const actions = createDesktopActions({
      appName: 'Paddock',
      version: APP_VERSION,
      dataDir: path.dirname(database.path),
      database: { client: database.client, url: database.url, current: () => database.status.current },
      versions: { electron: '45.4.1', chrome: '140.0', node: '22.20.0' },
      showMessageBox: async (options) => {
        boxes.push(options);
        return { response: answers.response ?? 0 };
      },
      openPath: shell.fake.openPath,
      showItemInFolder: shell.fake.showItemInFolder,
      logger: { error: () => {} },
    });
    return { actions, shell, boxes };
  }

  it('Back Up Now writes a checked snapshot of the open database and can show it', async () => {
    db = await createTestDatabase();
    await db.client.execute("CREATE TABLE IF NOT EXISTS backup_probe (v TEXT)");
    await db.client.execute("INSERT INTO backup_probe VALUES ('kept')");
    const { actions, shell, boxes } = actionsFor(db, { response: 1 });
    const file = await actions.backUpNow();
    expect(file).not.toBeNull();
    expect(path.dirname(file!)).toBe(path.join(path.dirname(db.path), 'backups'));
    expect(path.basename(file!)).toMatch(/^paddock\.db\..*\.manual\.bak$/);
    const copy = createClient({ url: `file:${file}` });
    try {
      expect((await copy.execute('SELECT v FROM backup_probe')).rows[0]!.v).toBe('kept');
    } finally {
      copy.close();
    }
    expect(boxes[0]).toMatchObject({ type: 'info', message: 'Backup saved' });
    expect(shell.calls).toEqual([{ name: 'showItemInFolder', args: [file] }]);
  });

  it('Back Up Now explains a failure and a database it cannot back up', async () => {
    db = await createTestDatabase();
    const { actions, boxes } = actionsFor(db);
    fs.writeFileSync(path.join(path.dirname(db.path), 'backups'), 'a file where the folder should be');
    expect(await actions.backUpNow()).toBeNull();
    expect(boxes[0]).toMatchObject({ type: 'error', message: 'The backup failed' });
    const remote = createDesktopActions({
      appName: 'Paddock',
      version: APP_VERSION,
      dataDir: '/d',
      database: { client: db.client, url: 'libsql://example.turso.io', current: () => 3 },
      versions: {},
      showMessageBox: async (o) => (boxes.push(o), { response: 0 }),
      openPath: async () => '',
      showItemInFolder: () => {},
      logger: { error: () => {} },
    });
    expect(await remote.backUpNow()).toBeNull();
    expect(boxes[1]!.detail).toContain('remote or in memory');
  });

  it('About shows the version, the data folder and the database version', async () => {
    db = await createTestDatabase();
    const { actions, boxes } = actionsFor(db);
    await actions.showAbout();
    expect(boxes[0]!.message).toBe(`Paddock ${APP_VERSION}`);
    expect(boxes[0]!.detail).toContain(`Data folder: ${path.dirname(db.path)}`);
    expect(db.status.current).toBeGreaterThan(0);
    expect(boxes[0]!.detail).toContain(`Database version: ${db.status.current}`);
    expect(boxes[0]!.detail).toContain('Electron 45.4.1');
    expect(aboutText({ appName: 'P', version: '1', dataDir: '/d', database: { client: db.client, url: '', current: () => null }, versions: {} }).detail).toContain('not migrated');
  });

  it('Open Data Folder opens the folder, and says so when the system cannot', async () => {
    db = await createTestDatabase();
    const ok = actionsFor(db);
    await ok.actions.openDataFolder();
    expect(ok.shell.calls).toEqual([{ name: 'openPath', args: [path.dirname(db.path)] }]);
    expect(ok.boxes).toEqual([]);
    const failing = actionsFor(db, { openPath: 'No application is registered' });
    await failing.actions.openDataFolder();
    expect(failing.boxes[0]!.detail).toContain('No application is registered');
  });
});

describe('links to other sites', () => {
  function opener(file: string, answer: boolean) {
    const asked: string[] = [];
    const opened: string[] = [];
    const open = createLinkOpener({
      file,
      confirm: async (_url, host) => (asked.push(host), answer),
      open: async (url) => void opened.push(url),
      logger: {},
    });
    return { open, asked, opened };
  }

  it('asks before the first link to a host, then remembers the yes (across restarts)', async () => {
    const file = path.join(tempDir(), 'link-hosts.json');
    const no = opener(file, false);
    expect(await no.open('https://docs.example.com/a')).toBe(false);
    expect(await no.open('https://docs.example.com/b')).toBe(false);
    expect(no.asked).toEqual(['docs.example.com', 'docs.example.com']);
    expect(no.opened).toEqual([]);

    const yes = opener(file, true);
    expect(await yes.open('https://docs.example.com/a')).toBe(true);
    expect(await yes.open('https://DOCS.example.com/b')).toBe(true);
    expect(await yes.open('https://other.example.org/')).toBe(true);
    expect(yes.asked).toEqual(['docs.example.com', 'other.example.org']);
    expect(yes.opened).toEqual(['https://docs.example.com/a', 'https://DOCS.example.com/b', 'https://other.example.org/']);

    const later = opener(file, false);
    expect(await later.open('https://docs.example.com/c')).toBe(true);
    expect(later.asked).toEqual([]);
  });

  it('never asks about or opens an unsafe link, and survives a broken or oversized file', async () => {
    const file = path.join(tempDir(), 'link-hosts.json');
    const o = opener(file, true);
    for (const url of ['http://example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'https://u:p@example.com/']) {
      expect(await o.open(url)).toBe(false);
    }
    expect(o.asked).toEqual([]);
    fs.writeFileSync(file, '{"hosts": [1, 2');
    expect(await opener(file, false).open('https://example.com')).toBe(false);
    fs.writeFileSync(file, JSON.stringify({ hosts: Array.from({ length: MAX_KNOWN_HOSTS + 1 }, (_, i) => `h${i}.example`) }));
    const fresh = opener(file, true);
    expect(await fresh.open('https://h1.example/')).toBe(true);
    expect(fresh.asked).toEqual(['h1.example']);
  });
});

describe('window and page', () => {
  it('remembers the size, position and maximized state when the window closes', () => {
    const file = path.join(tempDir(), 'window-state.json');
    const win = recorder<Parameters<typeof trackWindowState>[0]>({
      isDestroyed: () => false,
      getNormalBounds: () => ({ x: 40, y: 60, width: 1000, height: 700 }),
      isMaximized: () => true,
    });
    trackWindowState(win.fake, file, {});
    expect(fs.existsSync(file)).toBe(false);
    win.fake.emit('close');
    expect(loadWindowState(file)).toEqual({ x: 40, y: 60, width: 1000, height: 700, maximized: true });
    expect(mainWindowOptions('/p.cjs', { width: 800, height: 600 }, '/icons/512x512.png').icon).toBe('/icons/512x512.png');
  });

  it("gives the desktop page a policy without the browser host's WebSocket", () => {
    const html = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'renderer', 'index.html'), 'utf8');
    expect(html).toContain('ws://127.0.0.1:*');
    const desktop = withDesktopPolicy(html);
    expect(desktop).not.toContain('ws:');
    expect(desktop).toContain(`content="${DESKTOP_META_POLICY}"`);
    expect(DESKTOP_META_POLICY).toContain("connect-src 'self';");
    expect(CONTENT_SECURITY_POLICY.split('; ').filter((d) => !DESKTOP_META_POLICY.includes(d))).toEqual(["frame-ancestors 'none'"]);
    expect(() => withDesktopPolicy('<html><head></head></html>')).toThrow(/no Content-Security-Policy/);
  });

  it('sends the strict policy as a header with every app:// response, body and status kept', async () => {
    const served = withPolicyHeader(new Response('<html></html>', { status: 200, headers: { 'Content-Type': 'text/html' } }), CONTENT_SECURITY_POLICY);
    expect(served.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(served.headers.get('Content-Type')).toBe('text/html');
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('<html></html>');
  });
});
