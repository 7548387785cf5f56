// Another program holds Paddock's database for longer than the busy timeout: calls answer a
// typed BUSY error meanwhile, and once it lets go, writes work again at once and reads show
// what it committed (a connection left poisoned by a busy BEGIN once kept both failing and
// stale for over a minute; see src/main/db/recycling-client.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Agent } from '../shared/domain';
import { createPaddockCore, type PaddockCore } from './core';
import { BUSY_MESSAGE } from './ipc/errors';

let core: PaddockCore | null = null;
let holder: ChildProcess | null = null;
let dataDir: string | null = null;

afterEach(async () => {
  holder?.kill('SIGKILL');
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

  const driver = createRequire(import.meta.url).resolve('libsql');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require(${JSON.stringify(driver)});
       const db = new Database(${JSON.stringify(path.join(dataDir, 'paddock.db'))});
       db.exec('BEGIN IMMEDIATE');
       db.prepare("UPDATE agents SET updated_at = '2031-01-01T00:00:00.000Z' WHERE id = ?").run(${JSON.stringify(agentId)});
       process.stdout.write('locked\\n');
       process.stdin.once('data', () => { db.exec('COMMIT'); process.stdout.write('released\\n'); process.exit(0); });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  holder = child;
  const stdout = (want: string) =>
    new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before '${want}'`)));
      let seen = '';
      child.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes(want)) resolve();
      });
    });
  await stdout('locked');

  // Held longer than the 5 s busy timeout: the write is answered BUSY, with words for the user.
  const during = await core.dispatch('agents.create', { name: 'While locked' });
  expect(during).toEqual({ ok: false, error: { code: 'BUSY', message: BUSY_MESSAGE } });

  const released = stdout('released');
  child.stdin!.write('go\n');
  await released;

  const startedAt = Date.now();
  const after = await core.dispatch('agents.create', { name: 'After' });
  expect(after.ok).toBe(true);
  const read = await core.dispatch('agents.get', { id: agentId });
  expect(read.ok && (read.data as Agent).updatedAt).toBe('2031-01-01T00:00:00.000Z');
  expect(Date.now() - startedAt).toBeLessThan(3_000);
}, 40_000);
