// Per-test set-up several specs share: a scratch folder and a provider test server, each made
// before every test of the file (or describe block) that calls the helper and removed after it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProviderServer, type ProviderServer } from '../../src/main/runtime/testing/providerServer';
import { test } from '../fixtures';

/** A temp folder per test (files it imports, or the folder an agent works in), handed to `set`. */
export function eachTestWorkDir(prefix: string, set: (dir: string) => void): void {
  let dir: string | undefined;
  test.beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    set(dir);
  });
  test.afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
}

/** The provider test server (OpenAI-compatible wire protocol) per test, handed to `set`. */
export function eachTestProviderServer(options: Parameters<typeof startProviderServer>[0], set: (server: ProviderServer) => void): void {
  let server: ProviderServer | undefined;
  test.beforeEach(async () => {
    server = await startProviderServer(options);
    set(server);
  });
  test.afterEach(async () => {
    await server?.close();
  });
}
