import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogsError } from './errors.js';
import { recoverInterrupted } from './recovery.js';
import { openLogsTestDb, type LogsTestDb } from './testing.js';
import { LogWriter, type LogCommit } from './writer.js';

let t: LogsTestDb;
let sessionId: string;
const writers: LogWriter[] = [];

/** A writer on its own single-connection client, like LogWriter.open() gives the app. */
async function newWriter(opts: ConstructorParameters<typeof LogWriter>[1] = {}): Promise<LogWriter> {
  const w = await LogWriter.open({ url: t.url }, opts);
  writers.push(w);
  return w;
}

function collect(w: LogWriter): { commits: LogCommit[]; errors: LogsError[] } {
  const commits: LogCommit[] = [];
  const errors: LogsError[] = [];
  w.on('commit', (c) => commits.push(c));
  w.on('error', (e) => errors.push(e));
  return { commits, errors };
}

beforeEach(async () => {
  t = await openLogsTestDb();
  sessionId = await t.newSession();
});

afterEach(async () => {
  for (const w of writers.splice(0)) await w.close().catch(() => undefined);
  await t.cleanup();
});

describe('LogWriter: streaming', () => {
  it('stores deltas of a simulated stream in order with their timing, and assembles the text at the end', async () => {
    const w = await newWriter();
    const user = w.startNode({ sessionId, kind: 'user_message', role: 'user', status: 'complete', content: 'Hello?' });
    // The node's clock starts somewhere inside [startBefore, startAfter] and each delta's inside
    // [before, after]: bracketing both keeps the timing check exact however loaded the machine is.
    const startBefore = performance.now();
    const id = w.startNode({ sessionId, parentId: user, kind: 'assistant_message', role: 'assistant', model: 'm1', provider: 'p1' });
    const startAfter = performance.now();
    const sent: { text: string; at: number; earliest: number; latest: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const text = `tok${i} `;
      const before = performance.now();
      expect(w.appendDelta(id, text)).toBe(true);
      const after = performance.now();
      sent.push({ text, at: after - startBefore, earliest: before - startAfter, latest: after - startBefore });
      await sleep(i % 5 === 0 ? 12 : 1);
    }
    w.finishNode(id, { status: 'complete', tokensIn: 10, tokensOut: 40, tokensReasoning: 3, costUsd: 0.0012 });
    await w.flush();

    const chunks = await t.logs.chunks(id);
    expect(chunks.map((c) => c.text)).toEqual(sent.map((s) => s.text));
    expect(chunks.map((c) => c.seq)).toEqual(sent.map((_, i) => i));
    for (let i = 0; i < chunks.length; i++) {
      // Stored offsets are whole milliseconds: allow one for rounding at each end.
      expect(chunks[i]!.atMs).toBeGreaterThanOrEqual(Math.floor(sent[i]!.earliest) - 1);
      expect(chunks[i]!.atMs).toBeLessThanOrEqual(Math.ceil(sent[i]!.latest) + 1);
      if (i > 0) expect(chunks[i]!.atMs).toBeGreaterThanOrEqual(chunks[i - 1]!.atMs);
    }
    // The pauses survive, so a replay can reproduce the pace.
    expect(chunks[1]!.atMs - chunks[0]!.atMs).toBeGreaterThanOrEqual(10);

    const node = await t.logs.get(id);
    expect(node).toMatchObject({
      status: 'complete',
      content: sent.map((s) => s.text).join(''),
      parentId: user,
      depth: 1,
      seq: 0,
      model: 'm1',
      provider: 'p1',
      tokensIn: 10,
      tokensOut: 40,
      tokensReasoning: 3,
      costUsd: 0.0012,
    });
    expect(node!.endedAt! >= node!.startedAt).toBe(true);
    expect(node!.durationMs).toBeGreaterThanOrEqual(Math.floor(sent[sent.length - 1]!.earliest) - 1);
    expect((await t.logs.get(user))!.childCount).toBe(1);
  });

  it('shows a streaming node with the text committed so far', async () => {
    const w = await newWriter();
    const id = w.startNode({ sessionId, kind: 'assistant_message', content: 'Pre: ' });
    w.appendDelta(id, 'one ');
    w.appendDelta(id, 'two');
    await w.flush();
    expect(await t.logs.get(id)).toMatchObject({ status: 'streaming', content: 'Pre: one two', endedAt: null });
    w.appendDelta(id, ' three');
    w.finishNode(id, { status: 'complete' });
    await w.flush();
    expect(await t.logs.get(id)).toMatchObject({ status: 'complete', content: 'Pre: one two three' });
    // Finished: deltas are refused, not thrown.
    const errors = collect(w).errors;
    expect(w.appendDelta(id, 'late')).toBe(false);
    expect(errors[0]?.code).toBe('INVALID_INPUT');
  });

  it('records a tool call: streamed arguments, approval states, result, and the observation pointing at it', async () => {
    const w = await newWriter();
    const { commits } = collect(w);
    const msg = w.startNode({ sessionId, kind: 'assistant_message' });
    const call = w.startNode({ sessionId, parentId: msg, kind: 'action', toolName: 'read_file' });
    for (const part of ['{"pa', 'th":"/tmp', '/a.txt"}']) w.appendDelta(call, part);
    w.updateToolStatus(call, 'pending_approval');
    await w.flush();
    let node = await t.logs.get(call);
    expect(node).toMatchObject({ status: 'pending_approval', toolName: 'read_file', toolArgs: { path: '/tmp/a.txt' }, content: '' });
    // The arguments stay replayable.
    expect((await t.logs.chunks(call)).map((c) => c.text).join('')).toBe('{"path":"/tmp/a.txt"}');
    expect(commits.at(-1)!.updated.map((n) => n.status)).toEqual(['pending_approval']);

    w.updateToolStatus(call, 'approved');
    w.updateToolStatus(call, 'running');
    w.finishNode(call, { status: 'complete', toolResult: { text: 'contents' }, durationMs: 7 });
    const obs = w.startNode({ sessionId, parentId: msg, causeId: call, kind: 'observation', role: 'tool', status: 'complete', content: 'contents' });
    w.finishNode(msg, { status: 'complete' });
    await w.flush();

    node = await t.logs.get(call);
    expect(node).toMatchObject({ status: 'complete', toolArgs: { path: '/tmp/a.txt' }, toolResult: { text: 'contents' }, durationMs: 7 });
    expect(await t.logs.get(obs)).toMatchObject({ causeId: call, parentId: msg, seq: 1, kind: 'observation' });
    expect((await t.logs.children(msg)).map((n) => n.id)).toEqual([call, obs]);
    expect((await t.logs.get(msg))!.childCount).toBe(2);
  });

  it('keeps arguments that are not valid JSON as a JSON string', async () => {
    const w = await newWriter();
    const call = w.startNode({ sessionId, kind: 'action', toolName: 'bash' });
    w.appendDelta(call, '{"cmd": "ls');
    w.finishNode(call, { status: 'error', error: 'stream cut' });
    await w.flush();
    expect(await t.logs.get(call)).toMatchObject({ status: 'error', toolArgs: '{"cmd": "ls', metadata: { error: 'stream cut' } });
  });

  it('continues a session written by an earlier writer: roots and children get the next seqs', async () => {
    const w1 = await newWriter();
    const r0 = w1.startNode({ sessionId, kind: 'user_message', status: 'complete', content: 'a' });
    const c0 = w1.startNode({ sessionId, parentId: r0, kind: 'assistant_message', status: 'complete', content: 'b' });
    await w1.close();

    const w2 = await newWriter();
    const r1 = w2.startNode({ sessionId, kind: 'user_message', status: 'complete', content: 'c' });
    const c1 = w2.startNode({ sessionId, parentId: r0, kind: 'assistant_message', status: 'complete', content: 'd' });
    await w2.flush();
    expect((await t.logs.tree(sessionId)).map((n) => [n.id, n.seq, n.depth])).toEqual([
      [r0, 0, 0],
      [c0, 0, 1],
      [c1, 1, 1],
      [r1, 1, 0],
    ]);
  });

  it('stores a node whose parent is unknown as a root that remembers it, and drops an unknown cause', async () => {
    const w = await newWriter();
    const { errors } = collect(w);
    const id = w.startNode({ sessionId, parentId: 'no-such-node', causeId: 'nor-this', kind: 'system', status: 'complete', content: 'x' });
    await w.flush();
    expect(await t.logs.get(id)).toMatchObject({ parentId: null, causeId: null, depth: 0, metadata: { orphanedParentId: 'no-such-node', unknownCauseId: 'nor-this' } });
    expect(errors.some((e) => e.code === 'WRITE_REJECTED')).toBe(true);
  });

  it('drops only the log of a session deleted mid-stream and keeps writing the others', async () => {
    const other = await t.newSession('other');
    const w = await newWriter();
    const { errors } = collect(w);
    const a = w.startNode({ sessionId, kind: 'assistant_message' });
    const b = w.startNode({ sessionId: other, kind: 'assistant_message' });
    await w.flush();
    await t.repo.sessions.delete(sessionId);
    w.appendDelta(a, 'lost');
    w.appendDelta(b, 'kept');
    w.finishNode(b, { status: 'complete' });
    await w.flush();
    expect(errors.map((e) => e.code)).toContain('WRITE_REJECTED');
    expect(await t.logs.get(b)).toMatchObject({ content: 'kept', status: 'complete' });
    expect(await t.logs.get(a)).toBeNull();
    // Later ops for the refused session are dropped at once, not retried forever.
    expect(w.appendDelta(a, 'more')).toBe(false);
    await w.flush();
    expect(w.stats().bufferedOps).toBe(0);
  });

  it('rejects a node for a session that does not exist without blocking other sessions', async () => {
    const w = await newWriter();
    const { errors } = collect(w);
    const bad = w.startNode({ sessionId: 'missing-session', kind: 'system', status: 'complete', content: 'x' });
    const good = w.startNode({ sessionId, kind: 'system', status: 'complete', content: 'y' });
    await w.flush();
    expect(await t.logs.get(bad)).toBeNull();
    expect(await t.logs.get(good)).not.toBeNull();
    expect(errors.some((e) => e.code === 'WRITE_REJECTED' && e.message.includes('missing-session'))).toBe(true);
  });

  it('validates input: startNode throws on a missing kind, bad optional fields are dropped and reported', async () => {
    const w = await newWriter();
    const { errors } = collect(w);
    expect(() => w.startNode({ sessionId, kind: 'nope' as never })).toThrow(/kind/);
    const id = w.startNode({ sessionId, kind: 'assistant_message', role: 'robot' as never });
    w.finishNode(id, { status: 'complete', tokensIn: -1 as number, tokensOut: 5 });
    await w.flush();
    expect(await t.logs.get(id)).toMatchObject({ role: null, tokensIn: 0, tokensOut: 5, status: 'complete' });
    expect(errors.filter((e) => e.code === 'INVALID_INPUT')).toHaveLength(2);
  });
});

describe('LogWriter: flush triggers and events', () => {
  it('flushes on the timer when nothing else triggers it', async () => {
    const w = await newWriter({ flushIntervalMs: 30, maxBufferBytes: 1 << 30 });
    const id = w.startNode({ sessionId, kind: 'assistant_message' });
    w.appendDelta(id, 'a');
    w.appendDelta(id, 'b');
    await sleep(0);
    expect(w.stats().flushes).toBe(0);
    const [commit] = (await once(w, 'commit')) as [LogCommit];
    expect(commit.ops).toBe(3);
    expect(commit.inserted.map((n) => n.id)).toEqual([id]);
    expect(commit.deltas).toEqual([{ sessionId, nodeId: id, text: 'ab', firstChunkSeq: 0, chunkCount: 2, lastAtMs: expect.any(Number) }]);
    expect(commit.committedAt).toBeGreaterThanOrEqual(commit.acceptedTo);
    expect(w.stats().flushes).toBe(1);
  });

  it('flushes at once when the buffer reaches its size limit', async () => {
    const w = await newWriter({ flushIntervalMs: 600_000, maxBufferBytes: 2_000 });
    const id = w.startNode({ sessionId, kind: 'assistant_message' });
    w.appendDelta(id, 'x'.repeat(500));
    await sleep(20);
    expect(w.stats().flushes).toBe(0);
    w.appendDelta(id, 'y'.repeat(1_500));
    const [commit] = (await once(w, 'commit')) as [LogCommit];
    expect(commit.deltas[0]!.text).toBe('x'.repeat(500) + 'y'.repeat(1_500));
    expect(w.stats().bufferedOps).toBe(0);
  });

  it("flushes at once on a node's end, and one commit carries everything of that tick", async () => {
    const w = await newWriter({ flushIntervalMs: 600_000, maxBufferBytes: 1 << 30 });
    const { commits } = collect(w);
    const id = w.startNode({ sessionId, kind: 'assistant_message' });
    w.appendDelta(id, 'hello');
    await sleep(20);
    expect(commits).toHaveLength(0);
    w.appendDelta(id, ' world');
    w.finishNode(id, { status: 'complete', tokensOut: 2 });
    await once(w, 'commit');
    expect(commits).toHaveLength(1);
    const c = commits[0]!;
    expect(c.inserted[0]!.content).toBe('');
    expect(c.deltas[0]!.text).toBe('hello world');
    expect(c.updated).toHaveLength(1);
    expect(c.updated[0]).toMatchObject({ id, status: 'complete', content: 'hello world', tokensOut: 2 });
  });

  it('keeps everything through a busy database: the flush fails, is reported, retried, and nothing is lost', async () => {
    // The writer's own client with a short busy timeout, so a held write lock fails fast. A
    // failed batch poisons its connection (see LogWriterOptions.reopen), so the writer reopens.
    const connect = async (): Promise<Client> => createClient({ url: t.url, concurrency: 1, timeout: 20, intMode: 'number' });
    const w = new LogWriter(await connect(), { ownsClient: true, flushIntervalMs: 10, reopen: connect });
    writers.push(w);
    const { errors } = collect(w);
    const id = w.startNode({ sessionId, kind: 'assistant_message' });
    await w.flush();

    const blocker = await t.client.transaction('write');
    try {
      for (let i = 0; i < 20; i++) w.appendDelta(id, `${i},`);
      await sleep(200);
      expect(errors.some((e) => e.code === 'FLUSH_FAILED')).toBe(true);
      expect(w.stats().bufferedOps).toBe(20);
      for (let i = 20; i < 30; i++) w.appendDelta(id, `${i},`);
    } finally {
      await blocker.rollback();
      blocker.close();
    }
    w.finishNode(id, { status: 'complete' });
    await w.flush();
    const expected = Array.from({ length: 30 }, (_, i) => `${i},`);
    expect((await t.logs.chunks(id)).map((c) => c.text)).toEqual(expected);
    expect((await t.logs.get(id))!.content).toBe(expected.join(''));
  });

  it('a throwing commit listener does not turn a committed flush into a failure', async () => {
    const w = await newWriter();
    const errors: LogsError[] = [];
    w.on('error', (e) => errors.push(e));
    w.on('commit', () => {
      throw new Error('listener bug');
    });
    const id = w.startNode({ sessionId, kind: 'system', status: 'complete', content: 'ok' });
    await w.flush();
    expect(await t.logs.get(id)).not.toBeNull();
    expect(errors.some((e) => e.message.includes('listener bug'))).toBe(true);
    expect(w.stats().bufferedOps).toBe(0);
  });

  it('close() flushes what is buffered; the writer then refuses work', async () => {
    const w = await newWriter({ flushIntervalMs: 600_000 });
    const id = w.startNode({ sessionId, kind: 'assistant_message' });
    w.appendDelta(id, 'tail');
    await w.close();
    expect(await t.logs.get(id)).toMatchObject({ content: 'tail', status: 'streaming' });
    expect(() => w.startNode({ sessionId, kind: 'system' })).toThrow(/closed/);
  });
});

describe('recoverInterrupted', () => {
  it('turns open nodes and running sessions into interrupted ones, keeping partial text and arguments', async () => {
    await t.repo.sessions.transition(sessionId, 'running');
    const w = await newWriter();
    const msg = w.startNode({ sessionId, kind: 'assistant_message' });
    w.appendDelta(msg, 'partial ');
    await sleep(15);
    w.appendDelta(msg, 'answer');
    const call = w.startNode({ sessionId, parentId: msg, kind: 'action', toolName: 'bash' });
    w.appendDelta(call, '{"cmd":"sleep 100"}');
    const running = w.startNode({ sessionId, parentId: msg, kind: 'action', toolName: 'bash', toolArgs: { cmd: 'x' } });
    w.updateToolStatus(running, 'running');
    const done = w.startNode({ sessionId, kind: 'system', status: 'complete', content: 'fine' });
    await w.close(); // the process "dies" here: nothing was finished

    const result = await recoverInterrupted(t.client);
    expect(result).toEqual({ nodes: 3, sessions: 1 });
    const m = await t.logs.get(msg);
    expect(m).toMatchObject({ status: 'interrupted', content: 'partial answer', metadata: { interruptedFrom: 'streaming' } });
    // ended_at = the last sign of life (its last chunk), not the time of the restart.
    const lastAt = (await t.logs.chunks(msg)).at(-1)!.atMs;
    expect(Date.parse(m!.endedAt!) - Date.parse(m!.startedAt)).toBeCloseTo(lastAt, -1);
    expect(await t.logs.get(call)).toMatchObject({ status: 'interrupted', toolArgs: { cmd: 'sleep 100' } });
    expect(await t.logs.get(running)).toMatchObject({ status: 'interrupted', toolArgs: { cmd: 'x' }, metadata: { interruptedFrom: 'running' } });
    expect(await t.logs.get(done)).toMatchObject({ status: 'complete' });
    expect((await t.repo.sessions.get(sessionId)).status).toBe('interrupted');
    // Idempotent.
    expect(await recoverInterrupted(t.client)).toEqual({ nodes: 0, sessions: 0 });
  });
});

describe('@libsql/client trap the writer relies on', () => {
  it('after a batch fails with SQLITE_BUSY at BEGIN, that connection cannot COMMIT again (so the writer reopens)', async () => {
    const poisoned = createClient({ url: t.url, concurrency: 1, timeout: 20, intMode: 'number' });
    try {
      const blocker = await t.client.transaction('write');
      await expect(poisoned.batch(['SELECT 1'], 'write')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await blocker.rollback();
      blocker.close();
      await expect(poisoned.batch(['SELECT 1'], 'write')).rejects.toThrow(/statements in progress/);
      // A fresh connection is fine.
      const fresh = createClient({ url: t.url, concurrency: 1, timeout: 20, intMode: 'number' });
      await expect(fresh.batch(['SELECT 1'], 'write')).resolves.toHaveLength(1);
      fresh.close();
    } finally {
      poisoned.close();
    }
  });
});

describe('LogWriter: never throws into the stream', () => {
  it('finishNode with garbage still ends the node, as an error', async () => {
    const w = await newWriter();
    const { errors } = collect(w);
    const id = w.startNode({ sessionId, kind: 'assistant_message' });
    w.appendDelta(id, 'half');
    expect(w.finishNode(id, { status: 'exploded' } as never)).toBe(true);
    expect(w.finishNode('unknown-node', { status: 'complete' })).toBe(false);
    expect(w.appendDelta('unknown-node', 'x')).toBe(false);
    expect(w.updateToolStatus(id, 'running')).toBe(false);
    await w.flush();
    expect(await t.logs.get(id)).toMatchObject({ status: 'error', content: 'half', metadata: { error: expect.stringMatching(/invalid finishNode input/) } });
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });
});

describe('LogWriter: a connection that fails at once', () => {
  it('flush() rejects with the failure instead of going round again at once (which spun on microtasks, starving every timer)', async () => {
    let calls = 0;
    const full = () => Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' });
    const conn = {
      execute: ((stmt: Parameters<Client['execute']>[0]) => t.client.execute(stmt)) as Client['execute'],
      // Fails at once; from the 50th call on it works, so a spinning flush() ends (and the test fails) instead of hanging.
      batch: ((stmts: Parameters<Client['batch']>[0], mode?: Parameters<Client['batch']>[1]) =>
        ++calls < 50 ? Promise.reject(full()) : t.client.batch(stmts, mode)) as Client['batch'],
      close: () => undefined,
    };
    const w = new LogWriter(conn);
    writers.push(w);
    w.startNode({ sessionId, kind: 'system', status: 'complete', content: 'x' });
    await expect(w.flush()).rejects.toThrow(/disk is full/);
    expect(calls).toBe(1);
  });
});
