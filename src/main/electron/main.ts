// Electron entry (bundled by electron-vite to out/main/index.js). Wiring only: the behaviour
// lives in small modules next to this one (security, ipc, window state, menu, startup screens)
// and in the plain-Node core that the browser host shares.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, net, protocol, safeStorage, screen, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { APP_VERSION } from '../appVersion';
import { createPaddockCore, type PaddockCore } from '../core';
import { LOCKED_EXIT_CODE, type InstanceLock } from '../host/instance-lock';
import { consoleLogger } from '../ipc/errors';
import { resolveAppFile, withPolicyHeader } from './app-protocol';
import { lockDataFolder } from './data-lock';
import { createDesktopActions } from './desktop-actions';
import { createLinkOpener, linkQuestion } from './external-links';
import { forwardEvents, registerContractHandlers } from './ipc';
import { buildMenuTemplate } from './menu';
import {
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  hardenWebContents,
  isTrustedFrame,
  mainWindowOptions,
  trustedOrigin,
} from './security';
import { createSafeStorageSecretBox } from './secrets';
import { recoveryMessage, splashWindowOptions, statusPageUrl } from './startup-screens';
import { claimSingleInstance } from './single-instance';
import { fitToDisplays, loadWindowState, trackWindowState } from './window-state';
import { startNativeNotifications } from './notifications';

const here = path.dirname(fileURLToPath(import.meta.url));
// The desktop renderer build (electron.vite.config.ts): its index.html carries the desktop's CSP.
const rendererDir = path.join(here, '..', 'desktop');
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');
// Rendered from resources/icon.svg (scripts/render-icons.mjs); packaged inside app.asar.
const iconPath = path.join(here, '..', '..', 'resources', 'icons', '512x512.png');
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const origin = trustedOrigin(devServerUrl);
const logger = consoleLogger;

// Must happen before `ready`: app:// behaves like https (standard, secure origin).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.setName('Paddock');
// Tests and portable installs point the data elsewhere; must be set before `ready`.
if (process.env.PADDOCK_USER_DATA_DIR) app.setPath('userData', path.resolve(process.env.PADDOCK_USER_DATA_DIR));

let mainWindow: BrowserWindow | null = null;
let core: PaddockCore | null = null;
let dataLock: InstanceLock | null = null;

const openLink = createLinkOpener({
  file: path.join(app.getPath('userData'), 'link-hosts.json'),
  confirm: async (url, host) => {
    const { message, detail } = linkQuestion(url, host);
    const options = { type: 'question' as const, title: 'Open link', message, detail, buttons: ['Cancel', 'Open Link'], defaultId: 0, cancelId: 0 };
    const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
    return response === 1;
  },
  open: (url) => shell.openExternal(url),
  logger,
});

function openExternal(url: string): void {
  openLink(url).catch((error: unknown) => logger.error('could not open a link', error));
}

function installSessionPolicy(): void {
  const ses = session.defaultSession;
  // The dev server needs its own inline HMR client; the packaged app gets the strict policy.
  if (!devServerUrl) {
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });
  }
  // Paddock needs no camera, notifications, geolocation...: refuse every permission.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file || new URL(request.url).host !== new URL(APP_ORIGIN).host) return new Response('Not found', { status: 404 });
    return withPolicyHeader(await net.fetch(pathToFileURL(file).href), CONTENT_SECURITY_POLICY);
  });
}

function createMainWindow(): BrowserWindow {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(stateFile);
  const bounds = fitToDisplays(
    state,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow(mainWindowOptions(preloadPath, bounds, iconPath));
  if (state.maximized) win.maximize();
  hardenWebContents(win.webContents, origin, openExternal);
  win.once('ready-to-show', () => win.show());
  trackWindowState(win, stateFile, logger);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

async function openCore(): Promise<PaddockCore> {
  let splash: BrowserWindow | null = null;
  try {
    return await createPaddockCore({
      dataDir: app.getPath('userData'),
      host: 'electron',
      logger,
      // API keys are encrypted with the OS keychain (safeStorage) before they touch the disk.
      runtime: {
        secretBox: createSafeStorageSecretBox(safeStorage),
        isUiAttached: () => mainWindow !== null && !mainWindow.isDestroyed(),
      },
      onMigrationProgress: (event) => {
        // Only a real upgrade shows the splash; a normal start opens straight into the app.
        if (event.type !== 'migration:start') return;
        splash ??= new BrowserWindow(splashWindowOptions());
        void splash.loadURL(
          statusPageUrl('Upgrading your data…', `Step ${event.index + 1} of ${event.total}: ${event.migration}`),
        );
      },
    });
  } finally {
    const s = splash as BrowserWindow | null;
    if (s && !s.isDestroyed()) s.destroy();
  }
}

async function showRecovery(error: unknown): Promise<void> {
  const dataDir = app.getPath('userData');
  const { title, detail } = recoveryMessage(error, dataDir);
  logger.error('startup failed', error);
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title,
    message: title,
    detail,
    buttons: ['Quit', 'Open Data Folder'],
    defaultId: 0,
    cancelId: 0,
  });
  if (response === 1) await shell.openPath(dataDir);
}

function installMenu(activeCore: PaddockCore): void {
  const dataDir = app.getPath('userData');
  const actions = createDesktopActions({
    appName: app.getName(),
    version: APP_VERSION,
    dataDir,
    database: { client: activeCore.client, url: activeCore.location.url, current: () => activeCore.database.status.current },
    versions: process.versions,
    icon: nativeImage.createFromPath(iconPath),
    showMessageBox: (options) => (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options)),
    openPath: (target) => shell.openPath(target),
    showItemInFolder: (target) => shell.showItemInFolder(target),
    logger,
  });
  const run = (action: () => Promise<unknown>) => () => void action().catch((error: unknown) => logger.error('menu action failed', error));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        appName: app.getName(),
        isPackaged: app.isPackaged,
        openDataFolder: run(actions.openDataFolder),
        backUpNow: run(actions.backUpNow),
        showAbout: run(actions.showAbout),
        openWebsite: () => openExternal('https://github.com/'),
      }),
    ),
  );
}

async function start(): Promise<void> {
  await app.whenReady();
  installSessionPolicy();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origin, openExternal));
  dataLock = await lockDataFolder({ dataDir: app.getPath('userData'), showMessageBox: (options) => dialog.showMessageBox(options) });
  if (!dataLock) {
    app.exit(LOCKED_EXIT_CODE);
    return;
  }
  try {
    core = await openCore();
  } catch (error) {
    await showRecovery(error);
    dataLock?.release();
    app.exit(1);
    return;
  }
  const activeCore = core;
  registerContractHandlers({
    ipcMain,
    dispatch: activeCore.dispatch,
    logger,
    // Our own top-level frame in our own window, nothing else (no iframes, no other windows).
    isTrustedSender: (event) => isTrustedFrame(event.senderFrame, origin) && event.sender === mainWindow?.webContents,
  });
  forwardEvents(activeCore.subscribe, () => mainWindow?.webContents ?? null);
  startNativeNotifications({ subscribe: activeCore.subscribe, events: activeCore.events, prefs: activeCore.services.attention, window: () => mainWindow, iconPath });
  installMenu(activeCore);
  mainWindow = createMainWindow();
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createMainWindow();
  });
}

// A window opened by a later launch only once the core is up (start() opens the first one).
const reopen = () => {
  if (core && !mainWindow && app.isReady()) mainWindow = createMainWindow();
};
if (claimSingleInstance(app, () => mainWindow, reopen)) {
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // After the core closed (before-quit below); the process-exit hook is only a fallback.
  app.on('will-quit', () => dataLock?.release());
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !core) return;
    // Flush the log writer and close the database before the process goes away.
    event.preventDefault();
    closing = true;
    void core.close().finally(() => {
      dataLock?.release();
      app.quit();
    });
  });
  start().catch((error: unknown) => {
    logger.error('Paddock failed to start', error);
    app.exit(1);
  });
}
