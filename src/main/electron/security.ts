// Electron's security checklist, as small functions the window setup calls and the tests
// check: secure webPreferences, a strict CSP, no navigation or new windows, vetted external
// links, and IPC accepted only from our own top-level frame.
import type { BrowserWindowConstructorOptions, WebContents, WebFrameMain } from 'electron';

/** The custom scheme the packaged renderer is served from (a stable origin for CSP and sender checks). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'paddock';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The policy baked into the desktop renderer's index.html (electron.vite.config.ts): the same
 * as the header, less frame-ancestors, which a <meta> policy cannot carry. The browser host's
 * page keeps its own, which also lets it open its WebSocket.
 */
export const DESKTOP_META_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/;

/** index.html with its CSP <meta> replaced by the desktop's; throws when the page has none. */
export function withDesktopPolicy(html: string): string {
  if (!CSP_META.test(html)) throw new Error('the renderer index.html has no Content-Security-Policy <meta> to replace');
  return html.replace(CSP_META, `$1${DESKTOP_META_POLICY}$2`);
}

export interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/** The only webPreferences a Paddock window gets: Electron's secure defaults, stated explicitly. */
export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  };
}

/** `icon`: the window's icon on Linux and Windows (macOS takes the app bundle's). */
export function mainWindowOptions(preloadPath: string, bounds: Bounds, icon?: string): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    ...(icon ? { icon } : {}),
    minWidth: 720,
    minHeight: 480,
    title: 'Paddock',
    // Shown once the first frame is painted: no white flash.
    show: false,
    backgroundColor: '#1b1d21',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

/** The origin IPC senders must have: app://paddock in production, the dev server in development. */
export function trustedOrigin(devServerUrl: string | undefined): string {
  if (devServerUrl) return new URL(devServerUrl).origin;
  return APP_ORIGIN;
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // Custom standard schemes report "null" as origin in some versions; rebuild it.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/** Accepts a frame only when it is a top-level frame showing our own origin. */
export function isTrustedFrame(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined, origin: string): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return originOf(frame.url) === origin;
}

/** External links: https only, no credentials in the URL; everything else is dropped. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.hostname !== '';
  } catch {
    return false;
  }
}

type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * No navigation away from the app and no new windows, ever. Links the UI opens with
 * target=_blank go to the system browser when they are plain https URLs.
 */
export function hardenWebContents(contents: HardenableContents, origin: string, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (originOf(url) !== origin) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (originOf(url) !== origin) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
