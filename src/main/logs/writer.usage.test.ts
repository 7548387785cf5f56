// LogWriter.noteUsage: token counts stored on a node that keeps streaming (so that a crash
// before its end keeps them), without disturbing its text.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogsRepository } from './repository.js';
import { recoverInterrupted } from './recovery.js';
import { openLogsTestDb, type LogsTestDb } from './testing.js';
import { LogWriter } from './writer.js';

let t: LogsTestDb;
let w: LogWriter;
let sessionId: string;

beforeEach(async () => {
  t = await openLogsTestDb();
  sessionId = await t.newSession();
  w = await LogWriter.open({ url: t.url });
});

afterEach(async () => {
  await w.close().catch(() => undefined);
  await t.cleanup();
});

describe('LogWriter.noteUsage', () => {
  it('keeps the node streaming and its text whole, before and after more deltas', async () => {
    const id = w.startNode({ sessionId, kind: 'assistant_message', role: 'assistant' });
    w.appendDelta(id, 'Hello ');
    await w.flush();
    expect(w.noteUsage(id, { tokensIn: 500, costUsd: 0.0015 })).toBe(true);
    await w.flush();
    const repo = new LogsRepository(t.client);
    expect(await repo.get(id)).toMatchObject({ status: 'streaming', content: 'Hello ', tokensIn: 500, costUsd: 0.0015 });
    w.appendDelta(id, 'world');
    w.finishNode(id, { status: 'complete', tokensIn: 510, tokensOut: 2 });
    await w.flush();
    expect(await repo.get(id)).toMatchObject({ status: 'complete', content: 'Hello world', tokensIn: 510, tokensOut: 2 });
  });

  it('refuses a node that is not streaming and invalid counts', async () => {
    const errors: string[] = [];
    w.on('error', (e) => errors.push(e.message));
    const done = w.startNode({ sessionId, kind: 'user_message', status: 'complete', content: 'hi' });
    expect(w.noteUsage(done, { tokensIn: 1 })).toBe(false);
    const open = w.startNode({ sessionId, kind: 'assistant_message' });
    expect(w.noteUsage(open, { tokensIn: -1 })).toBe(false);
    expect(errors).toHaveLength(2);
  });

  it('a crash after it: the sweep keeps the text once and adds the counts to the session once', async () => {
    const id = w.startNode({ sessionId, kind: 'assistant_message', role: 'assistant' });
    w.appendDelta(id, 'partial ');
    w.noteUsage(id, { tokensIn: 700, costUsd: 0.002 });
    w.appendDelta(id, 'text');
    await w.flush();
    await recoverInterrupted(t.client);
    expect(await new LogsRepository(t.client).get(id)).toMatchObject({ status: 'interrupted', content: 'partial text', tokensIn: 700, metadata: expect.objectContaining({ usagePartial: true }) });
    const row = (await t.client.execute({ sql: 'SELECT tokens_in, cost_usd FROM sessions WHERE id = ?', args: [sessionId] })).rows[0]!;
    expect(Number(row.tokens_in)).toBe(700);
    expect(Number(row.cost_usd)).toBeCloseTo(0.002, 9);
    await recoverInterrupted(t.client);
    expect(Number((await t.client.execute({ sql: 'SELECT tokens_in FROM sessions WHERE id = ?', args: [sessionId] })).rows[0]!.tokens_in)).toBe(700);
  });
});
