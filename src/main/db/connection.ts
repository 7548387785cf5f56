import { createClient, type Client } from '@libsql/client';
import { pathToFileURL, fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { RecyclingClient } from './recycling-client';
import { setUpConnection } from './connection-setup';

/**
 * Where the database lives. Default is an embedded file; a remote libsql server or Turso URL
 * (libsql://, https://, wss://) with an auth token also works through the same code, but steps
 * that need a local file (backups, WAL, synchronous) are skipped with a notice.
 */
export interface DatabaseLocation {
  url: string;
  authToken?: string;
}

/** Busy timeout for every connection: long enough to wait out a peer's migration or flush. */
export const BUSY_TIMEOUT_MS = 5_000;

export function locationFromPath(filePath: string): DatabaseLocation {
  return { url: pathToFileURL(path.resolve(filePath)).href };
}

export function isLocalFileUrl(url: string): boolean {
  return url.startsWith('file:');
}

export function isMemoryUrl(url: string): boolean {
  return url === ':memory:' || url === 'file::memory:' || url.startsWith('file::memory:');
}

/** The filesystem path of a file: URL, or null for remote / in-memory databases. */
export function localPathOf(url: string): string | null {
  if (!isLocalFileUrl(url) || isMemoryUrl(url)) return null;
  if (url.startsWith('file://')) return fileURLToPath(url.split('?')[0]!);
  return path.resolve(url.slice('file:'.length).split('?')[0]!);
}

export interface OpenClientOptions {
  /** 1 gives one owned connection (the migrator and the log writer need that). */
  concurrency?: number;
  /** Busy timeout for this client's connections; defaults to BUSY_TIMEOUT_MS. */
  busyTimeoutMs?: number;
  /**
   * Replace the client's connections after a busy answer (see recycling-client.ts). Only for a
   * client whose callers keep no state on a connection between calls: not the migrator (it
   * turns foreign keys off on its connection around a step) nor a writer's own connection.
   */
  recycleOnBusy?: boolean;
}

/**
 * Durability choice: the app's pooled connections keep SQLite's default `synchronous = FULL`
 * (agent and session edits are rare and must survive a power cut); the session-log writer's own
 * connection uses `NORMAL`, which in WAL mode survives any process crash and only risks the last
 * few commits on an OS crash or power loss — the price of committing every 50 ms while a model
 * streams (see src/main/logs/writer.ts).
 *
 * Opens a client with the settings every Paddock connection needs. WAL is a database-wide
 * setting, persisted in the file, so setting it once here is enough; busy timeout is per
 * connection and is passed to the driver so every pooled connection gets it.
 */
export async function openClient(loc: DatabaseLocation, opts: OpenClientOptions = {}): Promise<Client> {
  const local = localPathOf(loc.url);
  if (local) fs.mkdirSync(path.dirname(local), { recursive: true });
  const connect = (): Client =>
    createClient({
      url: loc.url,
      ...(loc.authToken ? { authToken: loc.authToken } : {}),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      timeout: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS,
      intMode: 'number',
    });
  // An in-memory database lives in its one connection, and a remote one has no such state.
  const client = local && opts.recycleOnBusy ? new RecyclingClient(connect) : connect();
  if (local) {
    await setUpConnection(async (p) => (await client.execute(`PRAGMA ${p}`)).rows[0]?.[0], { busyTimeoutMs: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
  }
  return client;
}
