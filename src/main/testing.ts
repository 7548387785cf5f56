// Test helpers for tests that drive a whole core (createPaddockCore) through the IPC contract:
// a quiet logger, calls that throw on an error envelope, and cores and folders removed after
// each test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { Envelope, ErrorInfo } from '../shared/ipc';
import { createPaddockCore, type PaddockCore } from './core';
import type { IpcLogger } from './ipc/errors';

export const quietLogger: IpcLogger = { error: () => {}, warn: () => {} };

/** Calls a channel; an error envelope becomes a thrown Error naming the channel and code. */
export async function call<T>(core: PaddockCore, channel: string, payload?: unknown): Promise<T> {
  const result: Envelope = await core.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

/** Calls a channel that must fail, and returns its typed error. */
export async function failure(core: PaddockCore, channel: string, payload?: unknown): Promise<ErrorInfo> {
  const result = await core.dispatch(channel, payload);
  if (result.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return result.error;
}

/** Cores and temporary folders for one test file; everything is closed and removed after each test. */
export function coreTestKit() {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  function tempDir(prefix = 'paddock-core-'): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
  return {
    tempDir,
    /** Runs `fn` after the test, before the folders made earlier are removed. */
    onCleanup(fn: () => Promise<void> | void): void {
      cleanups.push(fn);
    },
    /** A browser-host core on `dataDir` (a fresh temporary folder when not given). */
    async openCore(dataDir: string = tempDir()): Promise<PaddockCore> {
      const core = await createPaddockCore({ dataDir, host: 'browser', logger: quietLogger });
      cleanups.push(() => core.close());
      return core;
    },
  };
}
