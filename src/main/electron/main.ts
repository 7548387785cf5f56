// Electron entry (bundled by electron-vite to out/main/index.js). Wiring only: the behaviour
// lives in small modules next to this one (security, ipc, window state, menu, startup screens)
// and in the plain-Node core that the browser host shares.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, screen, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPaddockCore, DATABASE_FILE, type PaddockCore } from '../core';
import { acquireInstanceLock, describeOwner, InstanceLockedError, lockFileFor, LOCKED_EXIT_CODE, type InstanceLock } from '../host/instance-lock';
import { consoleLogger } from '../ipc/errors';
import { resolveAppFile } from './app-protocol';
import { forwardEvents, registerContractHandlers } from './ipc';
import { buildMenuTemplate } from './menu';
import {
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  hardenWebContents,
  isSafeExternalUrl,
  isTrustedFrame,
  mainWindowOptions,
  trustedOrigin,
} from './security';
import { createSafeStorageSecretBox } from './secrets';
import { recoveryMessage, splashWindowOptions, statusPageUrl } from './startup-screens';
import { fitToDisplays, loadWindowState, saveWindowState } from './window-state';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');
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

function openExternal(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
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
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file || new URL(request.url).host !== new URL(APP_ORIGIN).host) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).href);
  });
}

function createMainWindow(): BrowserWindow {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(stateFile);
  const bounds = fitToDisplays(
    state,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow(mainWindowOptions(preloadPath, bounds));
  if (state.maximized) win.maximize();
  hardenWebContents(win.webContents, origin, openExternal);
  win.once('ready-to-show', () => win.show());
  const remember = () => {
    if (win.isDestroyed()) return;
    const normal = win.getNormalBounds();
    try {
      saveWindowState(stateFile, { ...normal, maximized: win.isMaximized() });
    } catch (error) {
      logger.warn?.('could not save the window state', error);
    }
  };
  win.on('close', remember);
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

/**
 * requestSingleInstanceLock only sees other desktop apps; a `paddock serve` on the same folder
 * is kept out by the data-folder lock, taken before the database is opened.
 */
async function lockDataFolder(): Promise<boolean> {
  const dataDir = app.getPath('userData');
  try {
    dataLock = acquireInstanceLock(lockFileFor(path.join(dataDir, DATABASE_FILE)), { command: 'Paddock desktop app' });
    return true;
  } catch (error) {
    if (!(error instanceof InstanceLockedError)) throw error;
    const detail = `${error.owner ? `It is used by ${describeOwner(error.owner)}.` : error.message}\n\nStop that Paddock first, then open this one again.\n\nData folder: ${dataDir}`;
    await dialog.showMessageBox({ type: 'error', title: 'Paddock is already running', message: 'Another Paddock is using this data folder', detail, buttons: ['Quit'] });
    return false;
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  installSessionPolicy();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origin, openExternal));
  if (!(await lockDataFolder())) {
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
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        appName: app.getName(),
        isPackaged: app.isPackaged,
        openDataFolder: () => void shell.openPath(app.getPath('userData')),
        openWebsite: () => openExternal('https://github.com/'),
      }),
    ),
  );
  mainWindow = createMainWindow();
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createMainWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
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
