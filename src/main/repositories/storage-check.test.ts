// The self-check's reads of streamed text's timing rows (log_timings, 0100): a span that claims
// more bytes than its node's text is reported, and timing rows whose node is gone are found and
// removed.

import { describe, expect, it } from 'vitest';
import { eachTestLogsDb, type LogsTestDb } from '../logs/testing.js';
import { LogWriter } from '../logs/writer.js';
import { StorageCheckRepository } from './storage-check.js';

let t: LogsTestDb;
let sessionId: string;

eachTestLogsDb((db, id) => {
  t = db;
  sessionId = id;
});

const codes = (ps: { code: string }[]) => ps.map((p) => p.code);

describe('storage self-check and log_timings', () => {
  it('flags a timing row that runs past its text, and removes timing rows that lost their node', async () => {
    const w = await LogWriter.open({ url: t.url });
    const id = w.startNode({ sessionId, kind: 'assistant_message' });
    for (const x of ['Hel', 'lo']) w.appendDelta(id, x);
    w.finishNode(id, { status: 'complete' });
    await w.close();
    const check = new StorageCheckRepository(t.client);
    expect(codes(await check.quick())).not.toContain('span_range');

    await t.client.execute({ sql: 'UPDATE log_timings SET bytes = bytes + 1 WHERE n = (SELECT n FROM log_nodes WHERE id = ?)', args: [id] });
    expect(codes(await check.quick())).toContain('span_range');

    await t.client.execute('PRAGMA foreign_keys = OFF');
    await t.client.execute('INSERT INTO log_timings (n, base, count, bytes, timing) VALUES (999999, 0, 1, 1, x\'0100\')');
    await t.client.execute('PRAGMA foreign_keys = ON');
    expect(codes(await check.deep())).toContain('orphan_chunks');
    await check.removeOrphans();
    expect(codes(await check.deep())).not.toContain('orphan_chunks');
    expect(Number((await t.client.execute('SELECT count(*) AS c FROM log_timings')).rows[0]!.c)).toBe(1);
  });
});
