// Storage care through the IPC contract on a real core and database file: retention (preview,
// small transactions beside a live writer, space given back, the trash emptying itself), backups
// (back up now, verify, look inside, restore at the next start) and the self-check with repair.
import fs from 'node:fs';
import path from 'node:path';
import Libsql from 'libsql';
import { describe, expect, it } from 'vitest';
import type { Agent, SessionWithConfig } from '../shared/domain';
import type { BackupContents, BackupInfo, RetentionPreview, RetentionResult, StorageHealth, StorageOverview, StorageSettings } from '../shared/ipc';
import type { PaddockCore } from './core';
import { call, coreTestKit } from './testing';
import type { ImportLogNode } from './logs';

const kit = coreTestKit();

async function openCore(dataDir?: string): Promise<{ core: PaddockCore; dataDir: string }> {
  const dir = dataDir ?? kit.tempDir('paddock-storage-');
  return { core: await kit.openCore(dir), dataDir: dir };
}

function textNodes(count: number, size: number): ImportLogNode[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `n${i}`,
    parentId: i === 0 ? null : `n${Math.floor((i - 1) / 3)}`,
    kind: 'assistant_message' as const,
    content: `entry ${i} ${'lorem ipsum '.repeat(size)}`,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toISOString(),
  }));
}

async function sessionWithLog(core: PaddockCore, agent: Agent, name: string, nodes: number, size = 10): Promise<SessionWithConfig> {
  const s = await call<SessionWithConfig>(core, 'sessions.create', { agentId: agent.id, name });
  await core.logs.importNodes(s.id, textNodes(nodes, size));
  return s;
}

describe('retention', () => {
  it('previews what a rule selects, deletes it in small transactions while a live session keeps committing, and gives the space back', async () => {
    const { core } = await openCore();
    const agent = await call<Agent>(core, 'agents.create', { name: 'Keeper' });
    const big = await sessionWithLog(core, agent, 'big trashed', 3000, 20);
    const small = await sessionWithLog(core, agent, 'small trashed', 10);
    const kept = await sessionWithLog(core, agent, 'kept', 10);
    await call(core, 'sessions.remove', { id: big.id });
    await call(core, 'sessions.remove', { id: small.id });
    // Turned into incremental auto-vacuum once, so deletions give space back from now on.
    expect((await call<StorageOverview>(core, 'storage.compact')).autoVacuum).toBe('incremental');

    const preview = await call<RetentionPreview>(core, 'storage.retentionPreview', { state: 'trashed' });
    expect(preview.sessions).toBe(2);
    expect(preview.nodes).toBe(3010);
    expect(preview.bytes).toBeGreaterThan(3000 * 240);
    expect(preview.examples.map((e) => e.name).sort()).toEqual(['big trashed', 'small trashed']);
    const onlyBig = await call<RetentionPreview>(core, 'storage.retentionPreview', { state: 'trashed', largerThanMb: 0.5 });
    expect(onlyBig.examples.map((e) => e.name)).toEqual(['big trashed']);
    expect((await call<RetentionPreview>(core, 'storage.retentionPreview', { state: 'archived' })).sessions).toBe(0);

    // A live session streams while retention runs: its commits must go on in between.
    const live = await call<SessionWithConfig>(core, 'sessions.create', { agentId: agent.id, name: 'live' });
    const w = core.logWriter;
    const node = w.startNode({ sessionId: live.id, kind: 'assistant_message' });
    let commitsDuringRetention = 0;
    let retentionDone = false;
    w.on('commit', () => {
      if (!retentionDone) commitsDuringRetention++;
    });
    const run = call<RetentionResult>(core, 'storage.retentionRun', { state: 'trashed' }).finally(() => (retentionDone = true));
    let deltas = 0;
    while (!retentionDone) {
      w.appendDelta(node, `d${deltas++} `);
      await w.flush();
    }
    const result = await run;
    w.finishNode(node, { status: 'complete' });
    await w.flush();
    expect(result).toMatchObject({ sessions: 2, nodes: 3010 });
    // 3,000 nodes go in 6+ transactions; the writer committed between them, not after them all.
    expect(commitsDuringRetention).toBeGreaterThanOrEqual(2);
    expect(result.reclaimedBytes).toBeGreaterThan(0);
    expect((await call<StorageOverview>(core, 'storage.overview')).freeBytes).toBe(0);
    const left = await call<{ items: { id: string }[] }>(core, 'sessions.list', { deleted: 'include' });
    expect(left.items.map((s) => s.id).sort()).toEqual([kept.id, live.id].sort());
    expect((await core.logs.get(node))?.content).toBe(Array.from({ length: deltas }, (_, i) => `d${i} `).join(''));
  });

  it('empties the trash of sessions older than the setting, and not when the setting is off', async () => {
    const { core } = await openCore();
    const agent = await call<Agent>(core, 'agents.create', { name: 'A' });
    const old = await sessionWithLog(core, agent, 'old', 3);
    await call(core, 'sessions.remove', { id: old.id });
    expect((await call<StorageSettings>(core, 'storage.settings')).trashDays).toBe(30);
    await call<StorageSettings>(core, 'storage.saveSettings', { trashDays: null, dailyBackup: false });
    await core.services.storage.housekeeping(new Date(Date.now() + 40 * 86_400_000));
    expect((await call<{ items: unknown[] }>(core, 'sessions.list', { deleted: 'only' })).items).toHaveLength(1);
    await call<StorageSettings>(core, 'storage.saveSettings', { trashDays: 30, dailyBackup: false });
    await core.services.storage.housekeeping(new Date(Date.now() + 20 * 86_400_000));
    expect((await call<{ items: unknown[] }>(core, 'sessions.list', { deleted: 'only' })).items).toHaveLength(1);
    await core.services.storage.housekeeping(new Date(Date.now() + 40 * 86_400_000));
    expect((await call<{ items: unknown[] }>(core, 'sessions.list', { deleted: 'only' })).items).toHaveLength(0);
  });
});

describe('backups', () => {
  it('backs up now (verified, with the app version), looks inside read-only, and restores at the next start after backing up the current state', async () => {
    const first = await openCore();
    const agent = await call<Agent>(first.core, 'agents.create', { name: 'Archivist' });
    const before = await sessionWithLog(first.core, agent, 'before backup', 5);
    const backup = await call<BackupInfo>(first.core, 'storage.backupNow');
    expect(backup).toMatchObject({ kind: 'manual', verified: 'ok' });
    expect(backup.appVersion).toMatch(/\d+\.\d+/);
    const inside = await call<BackupContents>(first.core, 'storage.inspectBackup', { name: backup.name });
    expect(inside.agents.map((a) => a.name)).toEqual(['Archivist']);
    expect(inside.sessions.map((s) => [s.name, s.nodes])).toEqual([['before backup', 5]]);
    await expect(call(first.core, 'storage.inspectBackup', { name: '../paddock.db.bak' })).rejects.toThrow(/VALIDATION|NOT_FOUND/);

    await sessionWithLog(first.core, agent, 'after backup', 2);
    const staged = await call<{ safetyBackup: string; restartRequired: boolean }>(first.core, 'storage.restoreBackup', { name: backup.name });
    expect(staged.restartRequired).toBe(true);
    const list = await call<BackupInfo[]>(first.core, 'storage.backups');
    expect(list.map((b) => b.kind).sort()).toEqual(['manual', 'pre-restore']);
    // Written after the restore was chosen and before the restart: kept in the backup taken at the swap.
    await sessionWithLog(first.core, agent, 'after staging', 1);
    await first.core.close();

    const second = await openCore(first.dataDir);
    const sessions = await call<{ items: { id: string; name: string }[] }>(second.core, 'sessions.list');
    expect(sessions.items.map((s) => s.name)).toEqual(['before backup']);
    expect(await second.core.logs.count(before.id)).toBe(5);
    // The state before the restore is kept in its own backup.
    const safety = await call<BackupContents>(second.core, 'storage.inspectBackup', { name: staged.safetyBackup });
    expect(safety.sessions.map((s) => s.name).sort()).toEqual(['after backup', 'before backup']);
    const atSwap = (await call<BackupInfo[]>(second.core, 'storage.backups')).filter((b) => b.kind === 'pre-restore' && b.name !== staged.safetyBackup);
    expect(atSwap).toHaveLength(1);
    expect(atSwap[0]!.appVersion).toMatch(/\d+\.\d+/);
    const latest = await call<BackupContents>(second.core, 'storage.inspectBackup', { name: atSwap[0]!.name });
    expect(latest.sessions.map((s) => s.name).sort()).toEqual(['after backup', 'after staging', 'before backup']);
  });

  it('restoring over a database too damaged to back up moves the damaged file aside instead of overwriting it', async () => {
    const first = await openCore();
    const agent = await call<Agent>(first.core, 'agents.create', { name: 'Keeper' });
    await sessionWithLog(first.core, agent, 'kept', 2);
    const backup = await call<BackupInfo>(first.core, 'storage.backupNow');
    await call(first.core, 'storage.restoreBackup', { name: backup.name });
    const backupsDir = (await call<StorageOverview>(first.core, 'storage.overview')).backupsDir!;
    await first.core.close();
    const dbFile = path.join(first.dataDir, 'paddock.db');
    const damaged = Buffer.alloc(fs.statSync(dbFile).size, 0x41);
    fs.writeFileSync(dbFile, damaged);

    const second = await openCore(first.dataDir);
    const sessions = await call<{ items: { name: string }[] }>(second.core, 'sessions.list');
    expect(sessions.items.map((s) => s.name)).toEqual(['kept']);
    const aside = fs.readdirSync(backupsDir).filter((f) => f.endsWith('.unreadable'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(backupsDir, aside[0]!)).equals(damaged)).toBe(true);
  });

  it('marks a damaged backup as failed and refuses to restore it', async () => {
    const { core } = await openCore();
    await call<Agent>(core, 'agents.create', { name: 'A' });
    const backup = await call<BackupInfo>(core, 'storage.backupNow');
    const file = path.join((await call<StorageOverview>(core, 'storage.overview')).backupsDir!, backup.name);
    const bytes = fs.readFileSync(file);
    bytes.fill(0x41, 4096, bytes.length); // every page after the header overwritten
    fs.writeFileSync(file, bytes);
    expect((await call<BackupInfo>(core, 'storage.verifyBackup', { name: backup.name })).verified).toBe('failed');
    await expect(call(core, 'storage.restoreBackup', { name: backup.name })).rejects.toThrow(/CONFLICT/);
  });
});

describe('self-check', () => {
  it('a healthy database passes both checks; a new one gives deleted space back', async () => {
    const { core } = await openCore();
    expect((await call<StorageOverview>(core, 'storage.overview')).autoVacuum).toBe('incremental');
    const agent = await call<Agent>(core, 'agents.create', { name: 'A' });
    await sessionWithLog(core, agent, 's', 20);
    expect((await call<StorageHealth>(core, 'storage.health')).problems).toEqual([]);
    const deep = await call<StorageHealth>(core, 'storage.checkNow');
    expect(deep).toMatchObject({ state: 'ok', problems: [], deep: { state: 'done' } });
  });

  it('finds entries missing from the search index at launch, and the rebuild repairs it', async () => {
    const first = await openCore();
    const agent = await call<Agent>(first.core, 'agents.create', { name: 'A' });
    await sessionWithLog(first.core, agent, 's', 20);
    // Behind the app's back: the index forgets the newest entry.
    await first.core.client.execute(`INSERT INTO log_fts (log_fts, rowid, content, tool_name, tool_args, tool_result)
      SELECT 'delete', n, content, tool_name, tool_args, tool_result FROM log_nodes ORDER BY n DESC LIMIT 1`);
    await first.core.close();

    const { core } = await openCore(first.dataDir);
    const launch = await call<StorageHealth>(core, 'storage.health');
    expect(launch.state).toBe('attention');
    expect(launch.problems.map((p) => p.code)).toEqual(['fts_index']);
    expect(launch.problems[0]!.repairs).toContain('rebuild_index');
    const deep = await call<StorageHealth>(core, 'storage.checkNow');
    expect(deep.problems.map((p) => p.code)).toContain('fts_index');
    const repaired = await call<StorageHealth>(core, 'storage.repair', { action: 'rebuild_index' });
    expect(repaired).toMatchObject({ state: 'ok', problems: [] });
  });

  it('finds log rows whose parent was deleted behind its back, and removes them on request', async () => {
    const { core, dataDir } = await openCore();
    const agent = await call<Agent>(core, 'agents.create', { name: 'A' });
    const s = await sessionWithLog(core, agent, 's', 13);
    const w = core.logWriter;
    const streamed = w.startNode({ sessionId: s.id, kind: 'assistant_message' });
    w.appendDelta(streamed, 'some text');
    w.finishNode(streamed, { status: 'complete' });
    await w.flush();
    // Another program, with foreign keys off, deletes a parent entry and a streamed entry's node.
    const other = new Libsql(path.join(dataDir, 'paddock.db'), { timeout: 5000 });
    other.exec('PRAGMA foreign_keys = OFF');
    other.prepare('DELETE FROM log_nodes WHERE session_id = ? AND depth = 1 AND seq = 0').run([s.id]);
    other.prepare('DELETE FROM log_nodes WHERE id = ?').run([streamed]);
    other.close();
    const deep = await call<StorageHealth>(core, 'storage.checkNow');
    expect(deep.state).toBe('attention');
    expect(deep.problems.map((p) => p.code).sort()).toEqual(expect.arrayContaining(['orphan_chunks', 'orphan_rows']));
    const repaired = await call<StorageHealth>(core, 'storage.repair', { action: 'remove_orphans' });
    expect(repaired).toMatchObject({ state: 'ok', problems: [] });
    // The root and the untouched branches are still there.
    expect(await core.logs.count(s.id)).toBeGreaterThan(1);
  });
});
