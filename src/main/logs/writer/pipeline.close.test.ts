// close() while a batch is still being placed (its reads in flight, nothing sent yet): if that
// batch then fails with a transient error, close() must retry it like any other uncommitted
// batch instead of reporting its ops as lost.

import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { eachTestLogsDb, type LogsTestDb } from '../testing.js';
import { LogWriter } from '../writer.js';

let t: LogsTestDb;
let sessionId: string;

eachTestLogsDb((db, id) => {
  t = db;
  sessionId = id;
});

describe('LogWriter.close() with a batch being placed', () => {
  it('retries the batch whose placement read fails after close() began, and loses nothing', async () => {
    const busy = () => Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    let failFirstRead!: () => void;
    let readStarted!: () => void;
    const started = new Promise<void>((r) => (readStarted = r));
    let reads = 0;
    const conn = {
      execute: ((stmt: Parameters<Client['execute']>[0]) => {
        if (++reads > 1) return t.client.execute(stmt);
        readStarted();
        return new Promise((_, reject) => (failFirstRead = () => reject(busy())));
      }) as Client['execute'],
      batch: ((stmts: Parameters<Client['batch']>[0], mode?: Parameters<Client['batch']>[1]) => t.client.batch(stmts, mode)) as Client['batch'],
      close: () => undefined,
    };
    const w = new LogWriter(conn);
    const id = w.startNode({ sessionId, kind: 'system', status: 'complete', content: 'kept' });
    const flushed = w.flush().catch(() => undefined);
    await started; // the batch is being placed: nothing buffered, nothing in flight
    const closed = w.close();
    failFirstRead();
    await expect(closed).resolves.toBeUndefined();
    await flushed;
    expect(await t.logs.get(id)).toMatchObject({ status: 'complete', content: 'kept' });
  });
});
