// How LogWriter.open() reaches the database: on a worker thread for a local file (commits then
// never stop the event loop; see worker-connection.ts), else on its own single-connection
// client. The returned function is also the writer's `reopen` after a failed flush.

import type { LibsqlError } from '@libsql/client';
import { localPathOf, openClient, type DatabaseLocation } from '../../db/connection.js';
import { openWorkerConnection, type WriterConnection } from '../worker-connection.js';

export function writerConnector(location: DatabaseLocation, worker: boolean): () => Promise<WriterConnection> {
  let useWorker = worker && localPathOf(location.url) !== null;
  return async () => {
    if (useWorker) {
      let conn: WriterConnection | null = null;
      try {
        conn = openWorkerConnection(location.url);
        // Proves the worker, its driver and the database answer before the writer relies on it.
        await conn.execute('SELECT 1');
        return conn;
      } catch (e) {
        conn?.close();
        // The database's own answer (busy, cannot open…) is the caller's problem either way.
        if (String((e as Partial<LibsqlError>)?.code ?? '').startsWith('SQLITE_')) throw e;
        useWorker = false;
        console.warn(`[paddock logs] the log writer runs on the main thread: ${String((e as Error)?.message ?? e)}`);
      }
    }
    const client = await openClient(location, { concurrency: 1 });
    try {
      if (localPathOf(location.url)) await client.execute('PRAGMA synchronous = NORMAL');
    } catch (e) {
      client.close();
      throw e;
    }
    return client;
  };
}
