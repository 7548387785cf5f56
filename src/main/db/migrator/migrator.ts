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
import { decodeRow, num, numOrNull, scalar, str, strOrNull, type RowSchema } from '../rows.js';
import { schemaFingerprint } from './fingerprint.js';
import { lockedError } from './locked.js';
import { loadMigrations } from './parse.js';
import {
  MigrationError,
  problem,
  type AppliedMigration,
  type Migration,
  type MigrationProblem,
  type MigrationProgress,
  type MigrationSource,
  type MigrationStatus,
  type PlannedStep,
  type RunResult,
} from './types.js';

/** How long a second process waits for the first one's migration before giving up with LOCKED. */
export const MIGRATION_BUSY_TIMEOUT_MS = 15_000;

const HISTORY_DDL = [
  `CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    execution_ms INTEGER NOT NULL,
    app_version TEXT NOT NULL,
    fingerprint TEXT
  ) STRICT`,
  // Every repair and rollback is recorded: an accepted checksum must be explainable later.
  `CREATE TABLE IF NOT EXISTS schema_migrations_audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('repair_checksum', 'rollback')),
    migration_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    old_checksum TEXT,
    new_checksum TEXT,
    app_version TEXT NOT NULL
  ) STRICT`,
];

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

export interface MigrateOptions {
  /** Apply pending migrations up to and including this id. */
  to?: number;
  /** Apply at most this many. */
  limit?: number;
  dryRun?: boolean;
}

export interface RollbackOptions {
  /** Revert every applied migration with an id greater than this (0 = all). */
  to?: number;
  /** Revert this many of the latest applied migrations (default 1). */
  steps?: number;
  dryRun?: boolean;
}

export interface RepairResult {
  migration: string;
  oldChecksum: string;
  newChecksum: string;
  changed: boolean;
}

type Db = Pick<Client, 'execute'> | Pick<Transaction, 'execute'>;

/** A schema_migrations row as AppliedMigration. */
const HISTORY_ROW = {
  id: num,
  name: str,
  checksum: str,
  appliedAt: ['applied_at', str],
  executionMs: ['execution_ms', num],
  appVersion: ['app_version', str],
  fingerprint: strOrNull,
} as const satisfies RowSchema;

/** A pragma_foreign_key_check row (rowid is null for a WITHOUT ROWID table). */
const FK_VIOLATION_ROW = { table: str, rowid: numOrNull, parent: str, fkid: num } as const satisfies RowSchema;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Migrator {
  readonly migrations: readonly Migration[];
  readonly location: DatabaseLocation;
  private client: Client;
  private readonly opts: MigratorOptions;
  private readonly local: string | null;

  private constructor(client: Client, migrations: Migration[], opts: MigratorOptions) {
    this.client = client;
    this.migrations = migrations;
    this.opts = opts;
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
      const client = await openClient(opts.location, {
        concurrency: 1,
        busyTimeoutMs: opts.busyTimeoutMs ?? MIGRATION_BUSY_TIMEOUT_MS,
      });
      return new Migrator(client, migrations, opts);
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

  private emit(e: MigrationProgress): void {
    this.opts.onProgress?.(e);
  }

  private byId(id: number): Migration | undefined {
    return this.migrations.find((m) => m.id === id);
  }

  // ---- reading -------------------------------------------------------------------------------

  private async readHistory(db: Db): Promise<AppliedMigration[]> {
    const t = await db.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
    if (t.rows.length === 0) return [];
    const rs = await db.execute(
      'SELECT id, name, checksum, applied_at, execution_ms, app_version, fingerprint FROM schema_migrations ORDER BY id',
    );
    return rs.rows.map((r) => decodeRow(r, HISTORY_ROW));
  }

  /** Problems of the history against the files. Pure: no database access. */
  private check(applied: readonly AppliedMigration[]): MigrationProblem[] {
    const problems: MigrationProblem[] = [];
    const maxKnown = this.migrations.reduce((m, x) => Math.max(m, x.id), 0);
    const appliedIds = new Set(applied.map((a) => a.id));
    const maxApplied = applied.reduce((m, x) => Math.max(m, x.id), 0);
    for (const a of applied) {
      const mig = this.byId(a.id);
      if (!mig) {
        if (a.id > maxKnown) {
          problems.push(
            problem(
              'DB_NEWER_THAN_APP',
              a.name,
              `the database was migrated by Paddock ${a.appVersion} (migration ${a.name}), which is newer than this Paddock ${this.opts.appVersion}; update Paddock — this version will not write to it`,
              { appVersion: a.appVersion, thisAppVersion: this.opts.appVersion },
            ),
          );
        } else {
          problems.push(problem('MISSING_MIGRATION', a.name, `applied on ${a.appliedAt} but the file is gone`));
        }
        continue;
      }
      if (mig.checksum !== a.checksum) {
        problems.push(
          problem('CHECKSUM_MISMATCH', mig.name, `the file changed after it was applied (applied ${a.checksum}, file ${mig.checksum})`, {
            applied: a.checksum,
            file: mig.checksum,
          }),
        );
      }
    }
    for (const m of this.migrations) {
      if (!appliedIds.has(m.id) && m.id < maxApplied) {
        const later = applied.find((a) => a.id > m.id);
        problems.push(problem('OUT_OF_ORDER', m.name, `is pending but ${later?.name ?? 'a later migration'} is already applied`));
      }
    }
    return problems;
  }

  /** Applied, pending, problems, current id, and schema drift. Never writes. */
  async status(): Promise<MigrationStatus> {
    return this.statusOn(this.client);
  }

  private async statusOn(db: Db): Promise<MigrationStatus> {
    const applied = await this.readHistory(db);
    const problems = this.check(applied);
    const appliedIds = new Set(applied.map((a) => a.id));
    const pending = this.migrations.filter((m) => !appliedIds.has(m.id)).map((m) => ({ id: m.id, name: m.name }));
    const fingerprint = await schemaFingerprint(db);
    const last = applied[applied.length - 1];
    let drift: MigrationStatus['drift'] = null;
    if (last?.fingerprint && last.fingerprint !== fingerprint) {
      const older = [...applied].reverse().find((a) => a.fingerprint === fingerprint);
      drift = { expected: last.fingerprint, actual: fingerprint, migration: last.name, matches: older?.name ?? null };
      problems.push(
        problem(
          'SCHEMA_DRIFT',
          last.name,
          older
            ? `the schema is the one recorded after ${older.name}, not after ${last.name}: later changes were undone outside the migrator`
            : `the schema differs from the one recorded after ${last.name} was applied (changed outside the migrator, or partially migrated)`,
          { expected: last.fingerprint, actual: fingerprint },
          'warning',
        ),
      );
    }
    return {
      current: last ? last.id : null,
      applied,
      pending,
      problems,
      ok: !problems.some((p) => p.severity === 'error'),
      drift,
      fingerprint,
    };
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

  private planUp(status: MigrationStatus, opts: MigrateOptions): PlannedStep[] {
    if (opts.to !== undefined && status.current !== null && opts.to < status.current) {
      throw new MigrationError([
        problem('INVALID_ARGUMENT', null, `--to ${opts.to} is below the current migration ${status.current}; use rollback to go down`),
      ]);
    }
    if (opts.to !== undefined && !this.byId(opts.to) && opts.to !== status.current) {
      throw new MigrationError([problem('INVALID_ARGUMENT', null, `there is no migration with id ${opts.to}`)]);
    }
    let todo = status.pending.map((p) => this.byId(p.id)!).filter((m) => opts.to === undefined || m.id <= opts.to);
    if (opts.limit !== undefined) todo = todo.slice(0, Math.max(0, opts.limit));
    return todo.map((m) => ({ direction: 'up', id: m.id, name: m.name, transactional: m.upTransactional, statements: m.up }));
  }

  private planDown(status: MigrationStatus, opts: RollbackOptions): PlannedStep[] {
    if (opts.to !== undefined && opts.steps !== undefined) {
      throw new MigrationError([problem('INVALID_ARGUMENT', null, 'give either "to" or "steps", not both')]);
    }
    const appliedDesc = [...status.applied].reverse();
    let todo: AppliedMigration[];
    if (opts.to !== undefined) {
      if (opts.to !== 0 && !status.applied.some((a) => a.id === opts.to)) {
        throw new MigrationError([problem('NOT_APPLIED', null, `migration ${opts.to} is not applied; "to" must be an applied id or 0`)]);
      }
      todo = appliedDesc.filter((a) => a.id > opts.to!);
    } else {
      todo = appliedDesc.slice(0, Math.max(0, opts.steps ?? 1));
    }
    const irreversible = todo.map((a) => this.byId(a.id)!).filter((m) => !m.reversible);
    if (irreversible.length > 0) {
      throw new MigrationError(
        irreversible.map((m) => problem('IRREVERSIBLE', m.name, 'has an empty "-- migrate:down" section and cannot be rolled back')),
      );
    }
    return todo.map((a) => {
      const m = this.byId(a.id)!;
      return { direction: 'down', id: m.id, name: m.name, transactional: m.downTransactional, statements: m.down };
    });
  }

  /** The exact statements `migrate(opts)` (or `rollback` with direction 'down') would run. */
  async plan(opts: (MigrateOptions & { direction?: 'up' }) | (RollbackOptions & { direction: 'down' }) = {}): Promise<PlannedStep[]> {
    const status = await this.requireValid();
    return opts.direction === 'down' ? this.planDown(status, opts) : this.planUp(status, opts);
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
    const steps = this.planUp(status, opts);
    return this.run('up', steps, status, opts.dryRun ?? false);
  }

  async rollback(opts: RollbackOptions = {}): Promise<RunResult> {
    const status = await this.requireValid();
    const steps = this.planDown(status, opts);
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

  /**
   * Compare-and-swap inside the write transaction: the history is read again under the lock.
   * Returns false when another process already did this step (we then skip it).
   */
  private async stillToDo(tx: Transaction, step: PlannedStep): Promise<boolean> {
    const applied = await this.readHistory(tx);
    const errors = this.check(applied).filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new MigrationError(errors);
    const row = applied.find((a) => a.id === step.id);
    if (step.direction === 'up') {
      if (row) return false;
      // Another process may have rolled forward past us in the meantime; never apply below it.
      const later = applied.find((a) => a.id > step.id);
      if (later) throw new MigrationError([problem('OUT_OF_ORDER', step.name, `${later.name} was applied meanwhile by another process`)]);
      return true;
    }
    if (!row) return false;
    const later = applied.find((a) => a.id > step.id);
    if (later) throw new MigrationError([problem('OUT_OF_ORDER', step.name, `${later.name} was applied meanwhile; roll that back first`)]);
    return true;
  }

  private async execStatements(db: Db, step: PlannedStep): Promise<number> {
    const started = performance.now();
    const n = step.statements.length;
    for (const [i, st] of step.statements.entries()) {
      this.emit({ type: 'statement', direction: step.direction, migration: step.name, index: i, total: n, sql: st.sql });
      try {
        await db.execute(st.sql);
      } catch (e) {
        const err = e as { code?: string; extendedCode?: string };
        throw new MigrationError([
          problem(
            'MIGRATION_FAILED',
            step.name,
            `${step.direction} statement ${i + 1} of ${n} (line ${st.line}) failed: ${messageOf(e)}\n    ${st.sql.split('\n')[0]}`,
            { statementIndex: i, line: st.line, statement: st.sql, sqliteCode: err.code, extendedCode: err.extendedCode, sqliteMessage: messageOf(e) },
          ),
        ]);
      }
    }
    return Math.round(performance.now() - started);
  }

  private async checkForeignKeys(db: Db, step: PlannedStep): Promise<void> {
    const rs = await db.execute('SELECT "table", rowid, parent, fkid FROM pragma_foreign_key_check LIMIT 20');
    if (rs.rows.length === 0) return;
    const violations = rs.rows.map((r) => decodeRow(r, FK_VIOLATION_ROW));
    const list = violations.map((v) => `${v.table} rowid ${String(v.rowid)} -> ${v.parent}`);
    throw new MigrationError([
      problem('FK_VIOLATION', step.name, `${step.direction} leaves dangling foreign keys: ${list.join('; ')}`, {
        violations,
      }),
    ]);
  }

  private async record(tx: Db, step: PlannedStep, executionMs: number): Promise<void> {
    const mig = this.byId(step.id)!;
    const now = new Date().toISOString();
    if (step.direction === 'up') {
      const fp = await schemaFingerprint(tx);
      await tx.execute({
        sql: 'INSERT INTO schema_migrations (id, name, checksum, applied_at, execution_ms, app_version, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)',
        args: [mig.id, mig.name, mig.checksum, now, executionMs, this.opts.appVersion, fp],
      });
    } else {
      await tx.execute({ sql: 'DELETE FROM schema_migrations WHERE id = ?', args: [mig.id] });
      await tx.execute({
        sql: "INSERT INTO schema_migrations_audit (at, action, migration_id, name, old_checksum, new_checksum, app_version) VALUES (?, 'rollback', ?, ?, ?, NULL, ?)",
        args: [now, mig.id, mig.name, mig.checksum, this.opts.appVersion],
      });
    }
  }

  private async runTransactional(step: PlannedStep, index: number, total: number): Promise<void> {
    const prevFk = await this.foreignKeysOff();
    try {
      const tx = await this.beginWrite(step);
      try {
        for (const ddl of HISTORY_DDL) await tx.execute(ddl);
        if (!(await this.stillToDo(tx, step))) {
          await tx.rollback();
          this.emit({ type: 'migration:skip', direction: step.direction, migration: step.name, reason: 'already done by another process' });
          return;
        }
        this.emit({ type: 'migration:start', direction: step.direction, migration: step.name, index, total, statements: step.statements.length });
        const ms = await this.execStatements(tx, step);
        await this.checkForeignKeys(tx, step);
        await this.record(tx, step, ms);
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
        for (const ddl of HISTORY_DDL) await tx.execute(ddl);
        const todo = await this.stillToDo(tx, step);
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
        const ms = await this.execStatements(this.client, step);
        const fin = await this.beginWrite(step);
        try {
          await this.checkForeignKeys(fin, step);
          await this.record(fin, step, ms);
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
      this.client = await openClient(this.location, {
        concurrency: 1,
        busyTimeoutMs: this.opts.busyTimeoutMs ?? MIGRATION_BUSY_TIMEOUT_MS,
      });
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
      for (const ddl of HISTORY_DDL) await tx.execute(ddl);
      const applied = await this.readHistory(tx);
      const newer = this.check(applied).filter((p) => p.code === 'DB_NEWER_THAN_APP');
      if (newer.length > 0) throw new MigrationError(newer);
      const row = applied.find((a) => a.id === mig.id);
      if (!row) throw new MigrationError([problem('NOT_APPLIED', mig.name, 'is not applied; there is no checksum to accept')]);
      if (row.checksum === mig.checksum) {
        await tx.rollback();
        return { migration: mig.name, oldChecksum: row.checksum, newChecksum: mig.checksum, changed: false };
      }
      const now = new Date().toISOString();
      await tx.execute({ sql: 'UPDATE schema_migrations SET checksum = ? WHERE id = ?', args: [mig.checksum, mig.id] });
      await tx.execute({
        sql: "INSERT INTO schema_migrations_audit (at, action, migration_id, name, old_checksum, new_checksum, app_version) VALUES (?, 'repair_checksum', ?, ?, ?, ?, ?)",
        args: [now, mig.id, mig.name, row.checksum, mig.checksum, this.opts.appVersion],
      });
      await tx.commit();
      return { migration: mig.name, oldChecksum: row.checksum, newChecksum: mig.checksum, changed: true };
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
    const t = await this.client.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations_audit'");
    if (t.rows.length === 0) return [];
    const rs = await this.client.execute('SELECT * FROM schema_migrations_audit ORDER BY seq');
    return rs.rows.map((r) => ({ ...r }));
  }
}

function redact(url: string): string {
  return url.replace(/([?&](?:authToken|token)=)[^&]*/gi, '$1***');
}
