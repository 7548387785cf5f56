// Storage care (docs/storage.md): the self-check (a cheap one at launch, a deep one in the
// background), guided repair, retention with a preview, compaction, settings, and the timers
// that empty the trash and take the daily backup. Backups themselves are in backups.ts.

import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@libsql/client';
import {
  PaddockError,
  type BackupContents,
  type BackupInfo,
  type RetentionPreview,
  type RetentionResult,
  type RetentionRule,
  type StorageHealth,
  type StorageOverview,
  type StorageProblem,
  type StorageSettings,
} from '../../shared/ipc';
import type { SessionExport } from '../../shared/ipc';
import { RetentionRepository } from '../repositories/retention';
import type { ReadHandle, WriteHandle } from '../repositories/handles';
import { StorageCheckRepository } from '../repositories/storage-check';
import type { EventBus } from '../ipc/events';
import { BackupsService } from './backups';

/** When the deep check starts after launch, and how often the trash / daily backup timer runs. */
const DEEP_CHECK_DELAY_MS = 3_000;
const HOUSEKEEPING_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface StorageServiceDeps {
  client: Client;
  /** The database file; null for memory or remote databases (no backups, no file sizes). */
  dbPath: string | null;
  events: EventBus;
  /** True while no log node is streaming: the index check writes, so it waits for a quiet moment. */
  writerIdle: () => boolean;
  exportSession: (id: string) => Promise<SessionExport>;
  /**
   * Resolves when the live log writer has had a chance to commit. The writer runs on its own
   * connection and waits for the lock in SQLite's sleeping busy handler, so without this a
   * loop of delete transactions on the main connection can take the lock again every time
   * and starve live sessions until the whole clean-up is over.
   */
  writerTurn?: () => Promise<void>;
  /**
   * A connection on a worker thread for the deep check (local files). @libsql/client runs a file
   * database synchronously on the calling thread, so integrity_check over a multi-gigabyte
   * history would stop the event loop, and with it every API call, for minutes.
   */
  openCheckConnection?: () => ReadHandle & WriteHandle & { close(): void };
  logger?: { warn?: (message: string, error?: unknown) => void };
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/** How long a clean-up step waits at most for the log writer's next commit. */
const WRITER_TURN_MAX_MS = 2_000;

/**
 * For StorageServiceDeps.writerTurn: when the writer holds uncommitted work, waits for its next
 * commit (at most WRITER_TURN_MAX_MS, so a stuck writer cannot stall the clean-up for good).
 */
export function writerTurn(writer: { hasUncommitted(): boolean; once(event: 'commit', fn: () => void): unknown; off(event: 'commit', fn: () => void): unknown }): Promise<void> {
  if (!writer.hasUncommitted()) return yieldToLoop();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      writer.off('commit', done);
      resolve();
    };
    const timer = setTimeout(done, WRITER_TURN_MAX_MS);
    writer.once('commit', done);
  });
}

export class StorageService {
  readonly #d: StorageServiceDeps;
  readonly #check: StorageCheckRepository;
  readonly #retention: RetentionRepository;
  readonly #backups: BackupsService | null;
  #health: StorageHealth = { state: 'checking', problems: [], quickMs: 0, deep: { state: 'pending', finishedAt: null, ms: null } };
  #quickProblems: StorageProblem[] = [];
  #deepRun: Promise<StorageHealth> | null = null;
  #timers: NodeJS.Timeout[] = [];
  #retentionRunning: Promise<RetentionResult> | null = null;

  constructor(deps: StorageServiceDeps) {
    this.#d = deps;
    this.#check = new StorageCheckRepository(deps.client);
    this.#retention = new RetentionRepository(deps.client);
    this.#backups = deps.dbPath ? new BackupsService(deps.client, deps.dbPath) : null;
  }

  /** The launch check; its problems hold until a repair or a deep check says otherwise. */
  async quickCheck(): Promise<StorageHealth> {
    const t0 = performance.now();
    this.#quickProblems = await this.#check.quick();
    this.#health = { ...this.#health, quickMs: performance.now() - t0 };
    this.#setProblems(this.#quickProblems, this.#quickProblems.length > 0 ? 'attention' : 'checking');
    return this.#health;
  }

  /** Starts the background work: the deep check soon, the trash and daily backup every hour. */
  start(): void {
    const later = (ms: number, fn: () => Promise<unknown>) => {
      const t = setTimeout(() => void fn().catch((e: unknown) => this.#warn(e)), ms);
      t.unref();
      this.#timers.push(t);
    };
    later(DEEP_CHECK_DELAY_MS, () => this.checkNow());
    later(DEEP_CHECK_DELAY_MS * 2, () => this.housekeeping());
    const every = setInterval(() => void this.housekeeping().catch((e: unknown) => this.#warn(e)), HOUSEKEEPING_MS);
    every.unref();
    this.#timers.push(every);
  }

  stop(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
  }

  health(): StorageHealth {
    return this.#health;
  }

  /** The deep check (one at a time); waits for the log writer to be idle before the index check. */
  checkNow(): Promise<StorageHealth> {
    this.#deepRun ??= this.#deep().finally(() => (this.#deepRun = null));
    return this.#deepRun;
  }

  async #deep(): Promise<StorageHealth> {
    this.#health = { ...this.#health, deep: { ...this.#health.deep, state: 'running' } };
    this.#d.events.emit('storage.healthChanged', this.#health);
    for (let i = 0; i < 50 && !this.#d.writerIdle(); i++) await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    const connection = this.#d.openCheckConnection?.();
    let problems: StorageProblem[];
    try {
      problems = await (connection ? new StorageCheckRepository(connection) : this.#check).deep();
    } finally {
      connection?.close();
    }
    // The quick check may have seen what the deep one does not look for (a missing table).
    const all = [...problems, ...this.#quickProblems.filter((q) => !problems.some((p) => p.code === q.code))];
    this.#quickProblems = this.#quickProblems.filter((q) => q.code === 'schema_missing' || q.code === 'unreadable');
    this.#health = { ...this.#health, deep: { state: 'done', finishedAt: new Date().toISOString(), ms: performance.now() - t0 } };
    this.#setProblems(all, all.length > 0 ? 'attention' : 'ok');
    return this.#health;
  }

  async repair({ action }: { action: 'rebuild_index' | 'remove_orphans' }): Promise<StorageHealth> {
    if (action === 'rebuild_index') await this.#check.rebuildIndex();
    else await this.#check.removeOrphans();
    this.#quickProblems = await this.#check.quick();
    return this.checkNow();
  }

  /** Writes every session that still reads as Paddock JSON into `rescue-<time>/` beside the database. */
  async exportReadable(): Promise<{ folder: string; sessions: number; failed: number }> {
    if (!this.#d.dbPath) throw new PaddockError('CONFLICT', 'Only a database file can be exported this way');
    const folder = path.join(path.dirname(this.#d.dbPath), `rescue-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    fs.mkdirSync(folder, { recursive: true });
    let ids: string[] = [];
    try {
      ids = await this.#check.sessionIds();
    } catch (e) {
      throw new PaddockError('CONFLICT', `The list of sessions cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    let sessions = 0;
    let failed = 0;
    for (const id of ids) {
      try {
        fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(await this.#d.exportSession(id)));
        sessions++;
      } catch {
        failed++;
      }
    }
    return { folder, sessions, failed };
  }

  async overview(): Promise<StorageOverview> {
    const space = await this.#retention.space();
    const file = this.#d.dbPath;
    const size = (p: string) => (fs.existsSync(p) ? fs.statSync(p).size : 0);
    return {
      fileBytes: file ? size(file) : 0,
      walBytes: file ? size(`${file}-wal`) : 0,
      freeBytes: space.freeBytes,
      autoVacuum: space.autoVacuum,
      local: file !== null,
      backupsDir: this.#backups?.dir ?? null,
    };
  }

  /** Rewrites the file once with auto_vacuum = INCREMENTAL: free pages go back, later deletions too. */
  async compact(): Promise<StorageOverview> {
    if (!this.#d.dbPath) throw new PaddockError('CONFLICT', 'Only a database file can be compacted');
    await this.#retention.convertToIncremental();
    return this.overview();
  }

  settings(): Promise<StorageSettings> {
    return this.#retention.settings();
  }

  saveSettings(input: { trashDays: number | null; dailyBackup: boolean }): Promise<StorageSettings> {
    // Only the two user settings; lastDailyBackupAt is the timer's.
    return this.#retention.saveSettings(input);
  }

  retentionPreview(rule: RetentionRule): Promise<RetentionPreview> {
    return this.#retention.preview(rule);
  }

  /** Deletes what the rule selects, one small transaction at a time, then gives the space back. */
  retentionRun(rule: RetentionRule, now = new Date()): Promise<RetentionResult> {
    if (this.#retentionRunning) throw new PaddockError('CONFLICT', 'A clean-up is already running');
    this.#retentionRunning = this.#runRetention(rule, now).finally(() => (this.#retentionRunning = null));
    return this.#retentionRunning;
  }

  async #runRetention(rule: RetentionRule, now: Date): Promise<RetentionResult> {
    const list = await this.#retention.candidates(rule, now);
    const before = await this.overview();
    let done = 0;
    let nodes = 0;
    let bytes = 0;
    for (const s of list) {
      for (let n = await this.#retention.deleteLogBatch(s.id); n > 0; n = await this.#retention.deleteLogBatch(s.id)) {
        nodes += n;
        await (this.#d.writerTurn ?? yieldToLoop)(); // lets the log writer's commits in between
      }
      if (await this.#retention.deleteSession(s.id)) {
        done++;
        bytes += s.bytes;
        this.#d.events.emit('sessions.changed', { sessionId: s.id, agentId: s.agentId, change: 'purged' });
      }
      this.#d.events.emit('storage.retentionProgress', { done, total: list.length });
    }
    await this.#giveSpaceBack();
    const after = await this.overview();
    return { sessions: done, nodes, bytes, reclaimedBytes: Math.max(0, before.fileBytes - after.fileBytes) };
  }

  async #giveSpaceBack(): Promise<void> {
    if (!this.#d.dbPath || (await this.#retention.space()).autoVacuum !== 'incremental') return;
    await RetentionRepository.incrementalVacuum(this.#d.dbPath, yieldToLoop);
    await this.#d.client.execute('PRAGMA wal_checkpoint(TRUNCATE)').catch(() => undefined);
  }

  /** Empties the trash of sessions older than the setting, and takes the daily backup when due. */
  async housekeeping(now = new Date()): Promise<void> {
    const s = await this.#retention.settings();
    if (s.trashDays !== null) {
      const preview = await this.#retention.preview({ state: 'trashed', olderThanDays: s.trashDays }, now);
      if (preview.sessions > 0 && !this.#retentionRunning) await this.retentionRun({ state: 'trashed', olderThanDays: s.trashDays }, now);
    }
    const due = s.lastDailyBackupAt === null || now.getTime() - Date.parse(s.lastDailyBackupAt) >= DAY_MS;
    if (s.dailyBackup && this.#backups && due) {
      await this.#backups.backupNow('daily');
      await this.#retention.saveSettings({ lastDailyBackupAt: now.toISOString() });
    }
  }

  backups(): BackupInfo[] {
    return this.#needBackups().list();
  }

  backupNow(): Promise<BackupInfo> {
    return this.#needBackups().backupNow('manual');
  }

  verifyBackup({ name }: { name: string }): Promise<BackupInfo> {
    return this.#needBackups().verify(name);
  }

  inspectBackup({ name }: { name: string }): Promise<BackupContents> {
    return this.#needBackups().inspect(name);
  }

  restoreBackup({ name }: { name: string }): Promise<{ safetyBackup: string; restartRequired: boolean }> {
    return this.#needBackups().restore(name);
  }

  #needBackups(): BackupsService {
    if (!this.#backups) throw new PaddockError('CONFLICT', 'Backups need a database file (this Paddock uses a remote or in-memory database)');
    return this.#backups;
  }

  #setProblems(problems: StorageProblem[], state: StorageHealth['state']): void {
    this.#health = { ...this.#health, problems, state };
    this.#d.events.emit('storage.healthChanged', this.#health);
  }

  #warn(e: unknown): void {
    this.#d.logger?.warn?.('storage care failed', e);
  }
}
