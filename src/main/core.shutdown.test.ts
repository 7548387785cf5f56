// A clean stop leaves everything in paddock.db itself: a user who copies only that file (no -wal,
// no -shm) gets their whole history, session logs included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import type { Agent, SessionWithConfig } from '../shared/domain';
import { createPaddockCore } from './core';
import { call, quietLogger } from './testing';
import { LogsRepository } from './logs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

test('after core.close() the WAL is empty and a copy of paddock.db alone holds all data and logs', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-close-'));
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-copy-'));
  dirs.push(dataDir, elsewhere);
  const core = await createPaddockCore({ dataDir, host: 'browser', logger: quietLogger });
  const agent = await call<Agent>(core, 'agents.create', { name: 'Keeper' });
  const session = await call<SessionWithConfig>(core, 'sessions.create', { agentId: agent.id, goal: 'Remember' });
  const w = core.logWriter;
  const user = w.startNode({ sessionId: session.id, kind: 'user_message', role: 'user', status: 'complete', content: 'hello' });
  const answer = w.startNode({ sessionId: session.id, kind: 'assistant_message', role: 'assistant', parentId: user });
  w.appendDelta(answer, 'first part, ');
  await w.flush();
  // Left in the writer's buffer: close() must flush it before the checkpoint.
  w.appendDelta(answer, 'second part');
  w.finishNode(answer, { status: 'complete' });
  await core.close();

  const db = path.join(dataDir, 'paddock.db');
  const wal = `${db}-wal`;
  expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0, 'the -wal file is absent or empty').toBe(true);

  const copy = path.join(elsewhere, 'paddock.db');
  fs.copyFileSync(db, copy);
  const c = createClient({ url: pathToFileURL(copy).href, intMode: 'number' });
  try {
    expect((await c.execute('SELECT name FROM agents')).rows.map((r) => r.name)).toEqual(['Keeper']);
    expect((await c.execute('SELECT goal FROM sessions')).rows.map((r) => r.goal)).toEqual(['Remember']);
    const chunks = await new LogsRepository(c).chunks(answer);
    expect(chunks.map((r) => r.text)).toEqual(['first part, ', 'second part']);
    const nodes = await c.execute({ sql: 'SELECT id, status FROM log_nodes WHERE session_id = ? ORDER BY id', args: [session.id] });
    expect(nodes.rows.length).toBe(2);
    expect(nodes.rows.find((r) => r.id === answer)?.status).toBe('complete');
    expect((await c.execute('PRAGMA integrity_check')).rows[0]![0]).toBe('ok');
  } finally {
    c.close();
  }
});
