// The migrator: validates the history against the files, then applies or reverts migrations one
// at a time, each in its own BEGIN IMMEDIATE transaction on one owned connection, with the
// history row, the FK check and the schema fingerprint inside that same transaction.
//
// Cross-process safety comes from SQLite's own write lock (released when a process dies, so it
// cannot go stale) plus a compare-and-swap: inside the write transaction the history is read again
// and the step is skipped if another process already did it.

import type { Client, Transaction } from '@libsql/client';
import { isLocalFileUrl, isMemoryUrl, localPathOf, openClient, type DatabaseLocation } from '../connection.js';
import { DEFAULT_KEEP_BACKUPS, backupDirFor, restoreBackup, takeBackup } from './backup.js';
import { isBusyError } from '../errors.js';
import { explainDatabaseError } from '../health.js';
import { num, scalar } from '../rows.js';
import { schemaFingerprint } from './fingerprint.js';
import { acceptChecksum, ensureHistoryTables, readAudit, readStatus, recordStep, stillToDo, type Known } from './history.js';
import { lockedError } from './locked.js';
import { loadMigrations } from './parse.js';
import { planDown, planUp, type MigrateOptions, type RollbackOptions } from './plan.js';
import { checkForeignKeys, execStatements, messageOf } from './statements.js';
import {
  MigrationError,
  problem,
  type Migration,
  type MigrationProblem,
  type MigrationProgress,
  type MigrationSource,
  type MigrationStatus,
  type PlannedStep,
  type RunResult,
} from './types.js';

export type { MigrateOptions, RollbackOptions } from './plan.js';

/** How long a second process waits for the first one's migration before giving up with LOCKED. */
export const MIGRATION_BUSY_TIMEOUT_MS = 15_000;

export interface MigratorOptions {
  location: DatabaseLocation;
  migrations: readonly MigrationSource[];
  /** Written into every history row; DB_NEWER_THAN_APP messages name it. */
  appVersion: string;
  onProgress?: (e: MigrationProgress) => void;
  /** Backups before migrating a database that holds data. `false` turns them off (tests only). */
  backup?: false | { dir?: string; keep?: number };
  busyTimeoutMs?: number;
}

/** The migrator's one connection: steps, their locks and pragmas all go through it. */
function openOwnClient(opts: MigratorOptions): Promise<Client> {
  return openClient(opts.location, { concurrency: 1, busyTimeoutMs: opts.busyTimeoutMs ?? MIGRATION_BUSY_TIMEOUT_MS });
}

export interface RepairResult {
  migration: string;
  oldChecksum: string;
  newChecksum: string;
  changed: boolean;
}

export class Migrator implements Known {
  readonly migrations: readonly Migration[];
  readonly appVersion: string;
  readonly location: DatabaseLocation;
  private client: Client;
  private readonly opts: MigratorOptions;
  private readonly local: string | null;

  private constructor(client: Client, migrations: Migration[], opts: MigratorOptions) {
    this.client = client;
    this.migrations = migrations;
    this.opts = opts;
    this.appVersion = opts.appVersion;
    this.location = opts.location;
    this.local = localPathOf(opts.location.url);
  }

  /**
   * Parses the migrations (INVALID_MIGRATION / DUPLICATE_MIGRATION on a bad file) and opens the
   * migrator's own single connection.
   */
  static async open(opts: MigratorOptions): Promise<Migrator> {
    const migrations = loadMigrations(opts.migrations);
    try {
      return new Migrator(await openOwnClient(opts), migrations, opts);
    } catch (e) {
      const local = localPathOf(opts.location.url);
      if (isBusyError(e)) throw lockedError(local, null, opts.busyTimeoutMs ?? MIGRATION_BUSY_TIMEOUT_MS, e);
      // Read-only folder, damaged file…: clear words instead of the driver's codes.
      throw local ? explainDatabaseError(e, local) : e;
    }
  }

  close(): void {
    this.client.close();
  }

  /** The busy timeout of the migrator's connection, as SQLite reports it. */
  async busyTimeoutMs(): Promise<number> {
    const rs = await this.client.execute('PRAGMA busy_timeout');
    return scalar(rs, num, 0, 0);
  }

  private readonly emit = (e: MigrationProgress): void => this.opts.onProgress?.(e);

  // ---- reading -------------------------------------------------------------------------------

  /** Applied, pending, problems, current id, and schema drift. Never writes. */
  async status(): Promise<MigrationStatus> {
    return readStatus(this, this.client);
  }

  /** Every problem found (errors and warnings). An empty list means the database is consistent. */
  async validate(): Promise<MigrationProblem[]> {
    return (await this.status()).problems;
  }

  /** PRAGMA foreign_keys on the migrator's own connection (restored after every step). */
  async foreignKeysEnabled(): Promise<boolean> {
    const rs = await this.client.execute('PRAGMA foreign_keys');
    return scalar(rs, num, 0, 0) === 1;
  }

  async fingerprint(): Promise<string> {
    return schemaFingerprint(this.client);
  }

  // ---- planning ------------------------------------------------------------------------------

  /** The exact statements `migrate(opts)` (or `rollback` with direction 'down') would run. */
  async plan(opts: (MigrateOptions & { direction?: 'up' }) | (RollbackOptions & { direction: 'down' }) = {}): Promise<PlannedStep[]> {
    const status = await this.requireValid();
    return opts.direction === 'down' ? planDown(this, status, opts) : planUp(this, status, opts);
  }

  private async requireValid(): Promise<MigrationStatus> {
    const status = await this.status();
    const errors = status.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new MigrationError(errors);
    return status;
  }

  // ---- running -------------------------------------------------------------------------------

  async migrate(opts: MigrateOptions = {}): Promise<RunResult> {
    const status = await this.requireValid();
    const steps = planUp(this, status, opts);
    return this.run('up', steps, status, opts.dryRun ?? false);
  }

  async rollback(opts: RollbackOptions = {}): Promise<RunResult> {
    const status = await this.requireValid();
    const steps = planDown(this, status, opts);
    return this.run('down', steps, status, opts.dryRun ?? false);
  }

  private async run(direction: 'up' | 'down', steps: PlannedStep[], before: MigrationStatus, dryRun: boolean): Promise<RunResult> {
    const notices: string[] = [];
    const note = (message: string): void => {
      notices.push(message);
      this.emit({ type: 'notice', message });
    };
    if (dryRun || steps.length === 0) {
      return { direction, dryRun, steps, backup: null, notices, status: dryRun ? before : await this.status() };
    }
    if (!this.local && !isMemoryUrl(this.location.url)) {
      // Over HTTP/WebSocket each request may use another server-side connection, so a PRAGMA sent
      // before the transaction is not guaranteed to apply inside it. Not testable here (no server).
      note('Remote database: foreign keys cannot be switched off around the migration transaction; foreign_key_check still runs before commit, but a table rebuild with ON DELETE CASCADE children is not safe here.');
    }
    let backup: string | null = null;
    if (await this.holdsData()) backup = await this.backupIfPossible(`pre-${direction}-${String(steps[0]!.id).padStart(4, '0')}`, note);
    const total = steps.length;
    for (const [index, step] of steps.entries()) {
      try {
        await this.runStep(step, index, total, backup, note, (b) => (backup ??= b));
      } catch (e) {
        const first = e instanceof MigrationError ? e.problems[0] : undefined;
        this.emit({
          type: 'migration:failed',
          direction,
          migration: step.name,
          code: first?.code ?? 'DB_ERROR',
          message: first?.message ?? messageOf(e),
        });
        throw e;
      }
    }
    return { direction, dryRun, steps, backup, notices, status: await this.status() };
  }

  private async runStep(
    step: PlannedStep,
    index: number,
    total: number,
    runBackup: string | null,
    note: (m: string) => void,
    tookBackup: (file: string | null) => void,
  ): Promise<void> {
    if (step.transactional) {
      await this.runTransactional(step, index, total);
      return;
    }
    // A step outside a transaction cannot roll back: snapshot right before it, restore on failure.
    const snap =
      index === 0 && runBackup
        ? runBackup
        : await this.backupIfPossible(`pre-${step.direction}-${String(step.id).padStart(4, '0')}-notx`, note);
    tookBackup(snap);
    await this.runNonTransactional(step, index, total, snap);
  }

  private async holdsData(): Promise<boolean> {
    const rs = await this.client.execute("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
    return scalar(rs, num, 'n', 0) > 0;
  }

  private async backupIfPossible(label: string, note: (m: string) => void): Promise<string | null> {
    if (this.opts.backup === false) return null;
    if (!this.local) {
      const why = isMemoryUrl(this.location.url)
        ? 'an in-memory database'
        : isLocalFileUrl(this.location.url)
          ? 'this database'
          : `the remote database ${redact(this.location.url)}`;
      note(`No backup taken: VACUUM INTO backups need a local database file, and this is ${why}.`);
      return null;
    }
    try {
      const file = await takeBackup(this.client, this.local, {
        dir: this.opts.backup?.dir ?? backupDirFor(this.local),
        keep: this.opts.backup?.keep ?? DEFAULT_KEEP_BACKUPS,
        label,
      });
      this.emit({ type: 'backup', file });
      return file;
    } catch (e) {
      throw new MigrationError([problem('BACKUP_FAILED', null, `could not back up the database before migrating: ${messageOf(e)}`)]);
    }
  }

  /** Turns FKs off outside any transaction on the owned connection; returns the previous value. */
  private async foreignKeysOff(): Promise<boolean> {
    const rs = await this.client.execute('PRAGMA foreign_keys');
    const prev = scalar(rs, num, 0, 0) === 1;
    await this.client.execute('PRAGMA foreign_keys = OFF');
    return prev;
  }

  private async restoreForeignKeys(prev: boolean): Promise<void> {
    await this.client.execute(`PRAGMA foreign_keys = ${prev ? 'ON' : 'OFF'}`);
  }

  private async beginWrite(step: PlannedStep): Promise<Transaction> {
    try {
      return await this.client.transaction('write');
    } catch (e) {
      if (isBusyError(e)) throw lockedError(this.local, step.name, this.opts.busyTimeoutMs ?? MIGRATION_BUSY_TIMEOUT_MS, e);
      throw e;
    }
  }

  private async runTransactional(step: PlannedStep, index: number, total: number): Promise<void> {
    const prevFk = await this.foreignKeysOff();
    try {
      const tx = await this.beginWrite(step);
      try {
        await ensureHistoryTables(tx);
        if (!(await stillToDo(this, tx, step))) {
          await tx.rollback();
          this.emit({ type: 'migration:skip', direction: step.direction, migration: step.name, reason: 'already done by another process' });
          return;
        }
        this.emit({ type: 'migration:start', direction: step.direction, migration: step.name, index, total, statements: step.statements.length });
        const ms = await execStatements(tx, step, this.emit);
        await checkForeignKeys(tx, step);
        await recordStep(this, tx, step, ms);
        await tx.commit();
        this.emit({ type: 'migration:done', direction: step.direction, migration: step.name, executionMs: ms });
      } catch (e) {
        // Rolls back schema, data and history together; close() is a no-op after commit.
        await tx.rollback().catch(() => tx.close());
        throw e;
      }
    } finally {
      await this.restoreForeignKeys(prevFk);
    }
  }

  private async runNonTransactional(step: PlannedStep, index: number, total: number, snapshot: string | null): Promise<void> {
    const prevFk = await this.foreignKeysOff();
    let restored = false;
    try {
      // No lock can be held across e.g. VACUUM, so the compare-and-swap happens before and after.
      const tx = await this.beginWrite(step);
      try {
        await ensureHistoryTables(tx);
        const todo = await stillToDo(this, tx, step);
        await tx.commit();
        if (!todo) {
          this.emit({ type: 'migration:skip', direction: step.direction, migration: step.name, reason: 'already done by another process' });
          return;
        }
      } catch (e) {
        await tx.rollback().catch(() => tx.close());
        throw e;
      }
      this.emit({ type: 'migration:start', direction: step.direction, migration: step.name, index, total, statements: step.statements.length });
      try {
        const ms = await execStatements(this.client, step, this.emit);
        const fin = await this.beginWrite(step);
        try {
          await checkForeignKeys(fin, step);
          await recordStep(this, fin, step, ms);
          await fin.commit();
        } catch (e) {
          await fin.rollback().catch(() => fin.close());
          throw e;
        }
        this.emit({ type: 'migration:done', direction: step.direction, migration: step.name, executionMs: ms });
      } catch (e) {
        if (snapshot && this.local) {
          await this.restoreForeignKeys(prevFk).catch(() => undefined);
          restored = true;
          await this.restoreFrom(snapshot, e);
        }
        throw e;
      }
    } finally {
      if (!restored) await this.restoreForeignKeys(prevFk);
    }
  }

  private async restoreFrom(snapshot: string, cause: unknown): Promise<void> {
    this.client.close();
    try {
      restoreBackup(snapshot, this.local!);
      this.emit({ type: 'restore', file: snapshot });
    } catch (e) {
      const first = cause instanceof MigrationError ? cause.problems : [];
      throw new MigrationError([
        ...first,
        problem('RESTORE_FAILED', null, `restoring ${snapshot} failed: ${messageOf(e)}; restore it by hand with the app closed`),
      ]);
    } finally {
      this.client = await openOwnClient(this.opts);
    }
  }

  // ---- maintenance ---------------------------------------------------------------------------

  /**
   * Accepts the current file's checksum for an applied migration (a known hotfix to an already
   * shipped file). Explicit and recorded in schema_migrations_audit.
   */
  async repair(opts: { acceptChecksumOf: string }): Promise<RepairResult> {
    const wanted = opts.acceptChecksumOf.replace(/^.*[\\/]/, '');
    const mig = this.migrations.find((m) => m.name === wanted || String(m.id) === wanted.replace(/^0+(?=\d)/, ''));
    if (!mig) throw new MigrationError([problem('INVALID_ARGUMENT', wanted, 'no migration file with that name')]);
    const step: PlannedStep = { direction: 'up', id: mig.id, name: mig.name, transactional: true, statements: [] };
    const tx = await this.beginWrite(step);
    try {
      const { oldChecksum, changed } = await acceptChecksum(this, tx, mig);
      await (changed ? tx.commit() : tx.rollback());
      return { migration: mig.name, oldChecksum, newChecksum: mig.checksum, changed };
    } catch (e) {
      await tx.rollback().catch(() => tx.close());
      throw e;
    }
  }

  /** A snapshot on demand (CLI `db backup`), never pruned. Remote / in-memory databases have none. */
  async backup(): Promise<string> {
    if (!this.local) {
      throw new MigrationError([problem('BACKUP_FAILED', null, 'backups need a local database file (VACUUM INTO); this database is remote or in memory')]);
    }
    try {
      // A manual backup: kept apart from the pre-migration rotation by its name, never pruned.
      return await takeBackup(this.client, this.local, { dir: (this.opts.backup || undefined)?.dir ?? backupDirFor(this.local), label: 'manual' });
    } catch (e) {
      throw new MigrationError([problem('BACKUP_FAILED', null, `backup failed: ${messageOf(e)}`)]);
    }
  }

  /** Rows of the audit table (repairs and rollbacks), oldest first. */
  async audit(): Promise<Array<Record<string, unknown>>> {
    return readAudit(this.client);
  }
}

function redact(url: string): string {
  return url.replace(/([?&](?:authToken|token)=)[^&]*/gi, '$1***');
}
