// Playwright fixtures for Paddock. Every test gets its own data directory and its own app:
// - target "browser-host": a real `paddock serve` child process on a random port, and a
//   Chromium page opened on the exact URL it printed (token included);
// - target "electron": the electron-vite build launched with `_electron.launch`, skipped with
//   one clear reason where the Electron binary does not exist.
// Specs use `page` as usual, `app` for what is not a page (restart on the same data, the host's
// URL and token, calling window.paddock to seed data that is not under test).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, expect, test as base, type Browser, type BrowserContext, type ElectronApplication, type Page } from '@playwright/test';
import { electronSkipReason, findElectronBinary } from './support/electron-binary';
import { startHost, type RunningHost } from './support/host-process';
import { paths, repoRoot } from './support/paths';
import { waitForAppReady } from './support/ui';

export type Target = 'browser-host' | 'electron';

export interface PaddockApp {
  readonly target: Target;
  readonly dataDir: string;
  /** The current window; a new object after `restart()` in Electron. */
  readonly page: Page;
  /** The running `paddock serve` (browser host only; null in Electron). */
  readonly host: RunningHost | null;
  /**
   * Stops the app and starts it again on the same data directory, then waits until the UI is
   * ready. Resolves with the page to use from then on.
   */
  restart(): Promise<Page>;
  /** Calls `window.paddock.<domain>.<method>(input)` in the page and returns the result. */
  call<T = unknown>(channel: string, input?: unknown): Promise<T>;
  /**
   * A page in a fresh browser context (no storage shared with `page`), closed with the test.
   * Browser host only.
   */
  newIsolatedPage(): Promise<Page>;
}

interface TestFixtures {
  dataDir: string;
  app: PaddockApp;
  _electronGate: void;
}

interface WorkerFixtures {
  target: Target;
  /** Launches Chromium on first use (once per worker); the Electron target never calls it. */
  _lazyBrowser: () => Promise<Browser>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  target: ['browser-host', { scope: 'worker', option: true }],

  _lazyBrowser: [
    async ({ playwright, launchOptions, headless }, use) => {
      const launched: { browser?: Promise<Browser> } = {};
      await use(() => (launched.browser ??= playwright.chromium.launch({ handleSIGINT: false, ...launchOptions, headless })));
      if (launched.browser) await (await launched.browser).close();
    },
    { scope: 'worker' },
  ],

  // Runs before everything else in the test, so a skipped Electron test never starts anything.
  _electronGate: [
    async ({ target }, use) => {
      if (target === 'electron') {
        const reason = electronSkipReason();
        test.skip(reason !== null, reason ?? '');
      }
      await use();
    },
    { auto: true },
  ],

  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  dataDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'paddock-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  },

  app: async ({ target, dataDir, _lazyBrowser }, use, testInfo) => {
    const pageErrors: string[] = [];
    const watch = (page: Page) => {
      page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
    };
    const app = target === 'electron' ? await startElectronApp(dataDir, watch) : await startBrowserApp(dataDir, await _lazyBrowser(), watch);
    try {
      await use(app.api);
    } finally {
      const log = app.output();
      await app.stop();
      if (log) await testInfo.attach('host-output.txt', { body: log, contentType: 'text/plain' });
    }
    // An uncaught exception in the page is a bug even when the assertions happened to pass.
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  },

  page: async ({ app }, use) => {
    await use(app.page);
  },
});

export { expect };

interface Started {
  api: PaddockApp;
  stop(): Promise<void>;
  output(): string;
}

async function callInPage<T>(page: Page, channel: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ([channelName, payload]) => {
      const [domain, method] = channelName.split('.') as [string, string];
      const api = (globalThis as unknown as { paddock: Record<string, Record<string, (input: unknown) => Promise<unknown>>> }).paddock;
      const fn = api[domain]?.[method];
      if (!fn) throw new Error(`window.paddock has no ${channelName}`);
      return fn(payload);
    },
    [channel, input] as const,
  ) as Promise<T>;
}

async function startBrowserApp(dataDir: string, browser: Browser, watch: (page: Page) => void): Promise<Started> {
  // Default context options from the config and test.use() (colorScheme, viewport…) are
  // applied by Playwright to this context too, and it is traced like the built-in one.
  const context = await browser.newContext();
  const extraContexts: BrowserContext[] = [];
  let host: RunningHost;
  let page: Page;
  try {
    page = await context.newPage();
    watch(page);
    host = await startHost({ dataDir });
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }
  const outputs: string[] = [];

  try {
    await page.goto(host.url);
    await waitForAppReady(page);
  } catch (error) {
    // The app fixture never gets a handle on a half-started app: clean up here, and keep the
    // host's output with the error since no attachment will carry it.
    await context.close().catch(() => {});
    await host.stop();
    throw withHostOutput(error, host.output());
  }

  const api: PaddockApp = {
    target: 'browser-host',
    dataDir,
    page,
    get host() {
      return host;
    },
    async restart() {
      outputs.push(host.output());
      await host.stop();
      host = await startHost({ dataDir });
      await page.goto(host.url);
      await waitForAppReady(page);
      return page;
    },
    call: (channel, input) => callInPage(page, channel, input),
    async newIsolatedPage() {
      const extra = await browser.newContext();
      extraContexts.push(extra);
      return extra.newPage();
    },
  };
  return {
    api,
    output: () => [...outputs, host.output()].join('\n--- restart ---\n'),
    async stop() {
      for (const extra of extraContexts) await extra.close().catch(() => {});
      await context.close().catch(() => {});
      await host.stop();
    },
  };
}

async function launchElectron(dataDir: string): Promise<ElectronApplication> {
  const binary = findElectronBinary();
  if (!binary.available) throw new Error(electronSkipReason(binary) ?? 'Electron missing');
  return _electron.launch({
    executablePath: binary.path,
    args: [paths.electronMain, `--user-data-dir=${dataDir}`],
    cwd: repoRoot,
    env: { ...process.env, PADDOCK_USER_DATA_DIR: dataDir, NODE_ENV: 'test' } as Record<string, string>,
  });
}

async function startElectronApp(dataDir: string, watch: (page: Page) => void): Promise<Started> {
  let electronApp = await launchElectron(dataDir);
  let page: Page;
  try {
    page = await electronApp.firstWindow();
    watch(page);
    await waitForAppReady(page);
  } catch (error) {
    await electronApp.close().catch(() => {});
    throw error;
  }

  const api: PaddockApp = {
    target: 'electron',
    dataDir,
    get page() {
      return page;
    },
    host: null,
    async restart() {
      await electronApp.close();
      electronApp = await launchElectron(dataDir);
      page = await electronApp.firstWindow();
      watch(page);
      await waitForAppReady(page);
      return page;
    },
    call: (channel, input) => callInPage(page, channel, input),
    newIsolatedPage() {
      throw new Error('newIsolatedPage() is for the browser host');
    },
  };
  return {
    api,
    output: () => '',
    async stop() {
      await electronApp.close().catch(() => {});
    },
  };
}

function withHostOutput(error: unknown, output: string): unknown {
  if (error instanceof Error && output) error.message += `\n\npaddock serve output:\n${output}`;
  return error;
}

/** Specs that exercise the browser host itself (token, Origin) call this first. */
export function browserHostOnly(app: PaddockApp): RunningHost {
  test.skip(app.target !== 'browser-host', 'exercises the browser host itself');
  return app.host!;
}
