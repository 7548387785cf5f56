import { createClient, type Client } from '@libsql/client';
import { pathToFileURL, fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

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
}

/**
 * Opens a client with the settings every Paddock connection needs. WAL is a database-wide
 * setting, persisted in the file, so setting it once here is enough; busy timeout is per
 * connection and is passed to the driver so every pooled connection gets it.
 */
export async function openClient(loc: DatabaseLocation, opts: OpenClientOptions = {}): Promise<Client> {
  const local = localPathOf(loc.url);
  if (local) fs.mkdirSync(path.dirname(local), { recursive: true });
  const client = createClient({
    url: loc.url,
    ...(loc.authToken ? { authToken: loc.authToken } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    timeout: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS,
    intMode: 'number',
  });
  if (local) {
    // WAL lets the UI read while a session streams into the log; it persists in the file.
    await client.execute('PRAGMA journal_mode = WAL');
  }
  return client;
}
