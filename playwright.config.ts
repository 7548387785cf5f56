// The end-to-end suite: the same specs against two targets.
// - browser-host: `paddock serve` (a real child process per test) in Debian's Chromium.
// - electron: the electron-vite build through `_electron.launch`. Where the Electron binary was
//   never downloaded, the project runs only e2e/electron-skipped.check.ts: one skipped line
//   with the reason (the global setup prints it too), and no spec hooks for a dead target.
// `npm test` builds first (npm run build); the global setup reuses that build.
import { defineConfig } from '@playwright/test';
import type { Target } from './e2e/fixtures';
import { electronSkipReason } from './e2e/support/electron-binary';

const electronMissing = electronSkipReason() !== null;

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export default defineConfig<{ target: Target }>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  // Each test starts its own host process and browser context; 60 s leaves room for the
  // migrations on a fresh database and a slow CI box. The 100,000-node spec raises its own.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two cores on the reference machine: one host + one browser per worker already uses both.
  workers: 2,
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1400, height: 900 },
    actionTimeout: 15_000,
  },
  projects: [
    {
      name: 'browser-host',
      use: {
        target: 'browser-host',
        browserName: 'chromium',
        headless: true,
        launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
      },
    },
    {
      name: 'electron',
      use: { target: 'electron' },
      ...(electronMissing ? { testMatch: 'electron-skipped.check.ts' } : {}),
    },
  ],
});
