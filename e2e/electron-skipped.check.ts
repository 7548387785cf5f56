// The Electron project's only test when the Electron binary is missing (see playwright.config.ts):
// the suite then reports one skipped line with the reason instead of skipping every spec, and
// no spec's hooks run for a target that cannot start.
import { test } from '@playwright/test';
import { electronSkipReason } from './support/electron-binary';

const reason = electronSkipReason() ?? 'the Electron binary is available; this placeholder should not run';

test(`Electron target skipped: ${reason}`, () => {
  test.skip(true, reason);
});
