// Another program holds Paddock's database for longer than the busy timeout: calls answer a
// typed BUSY error meanwhile, and once it lets go, writes work again at once and reads show
// what it committed (a connection left poisoned by a busy BEGIN once kept both failing and
// stale for over a minute; see src/main/db/recycling-client.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Agent } from '../shared/domain';
import { createPaddockCore, type PaddockCore } from './core';
import { holdWriteLock, type WriteLockHolder } from './db/testing';
import { BUSY_MESSAGE } from './ipc/errors';

let core: PaddockCore | null = null;
let holder: WriteLockHolder | null = null;
let dataDir: string | null = null;

afterEach(async () => {
  holder?.kill();
  await core?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  core = holder = dataDir = null;
});

it('answers BUSY while another program holds the database, and recovers with fresh reads once it lets go', async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-busy-'));
  core = await createPaddockCore({ dataDir, host: 'browser', logger: { error: () => {}, warn: () => {} } });
  const created = await core.dispatch('agents.create', { name: 'Mine' });
  if (!created.ok) throw new Error(created.error.message);
  const agentId = (created.data as Agent).id;

  holder = await holdWriteLock(path.join(dataDir, 'paddock.db'), {
    sql: "UPDATE agents SET updated_at = '2031-01-01T00:00:00.000Z' WHERE id = ?",
    args: [agentId],
  });

  // Held longer than the 5 s busy timeout: the write is answered BUSY, with words for the user.
  const during = await core.dispatch('agents.create', { name: 'While locked' });
  expect(during).toEqual({ ok: false, error: { code: 'BUSY', message: BUSY_MESSAGE } });

  await holder.release();

  const startedAt = Date.now();
  const after = await core.dispatch('agents.create', { name: 'After' });
  expect(after.ok).toBe(true);
  const read = await core.dispatch('agents.get', { id: agentId });
  expect(read.ok && (read.data as Agent).updatedAt).toBe('2031-01-01T00:00:00.000Z');
  expect(Date.now() - startedAt).toBeLessThan(3_000);
}, 40_000);
