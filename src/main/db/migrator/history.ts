// The migration history (schema_migrations) and its audit table: reading it, checking it against
// the files, and writing one step's row. Every query here runs on whatever connection or
// transaction the migrator hands in, so the compare-and-swap reads happen under its write lock.
import type { Client, Transaction } from '@libsql/client';
import { decodeRow, num, str, strOrNull, type RowSchema } from '../rows.js';
import { schemaFingerprint } from './fingerprint.js';
import { MigrationError, problem, type AppliedMigration, type Migration, type MigrationProblem, type MigrationStatus, type PlannedStep } from './types.js';

export type Db = Pick<Client, 'execute'> | Pick<Transaction, 'execute'>;

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

/** The migrations this app knows, and the version it writes into history rows. */
export interface Known {
  migrations: readonly Migration[];
  appVersion: string;
}

export function byId(known: Known, id: number): Migration | undefined {
  return known.migrations.find((m) => m.id === id);
}

export async function ensureHistoryTables(tx: Db): Promise<void> {
  for (const ddl of HISTORY_DDL) await tx.execute(ddl);
}

export async function readHistory(db: Db): Promise<AppliedMigration[]> {
  const t = await db.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  if (t.rows.length === 0) return [];
  const rs = await db.execute('SELECT id, name, checksum, applied_at, execution_ms, app_version, fingerprint FROM schema_migrations ORDER BY id');
  return rs.rows.map((r) => decodeRow(r, HISTORY_ROW));
}

function unknownApplied(known: Known, a: AppliedMigration, maxKnown: number): MigrationProblem {
  if (a.id > maxKnown) {
    return problem(
      'DB_NEWER_THAN_APP',
      a.name,
      `the database was migrated by Paddock ${a.appVersion} (migration ${a.name}), which is newer than this Paddock ${known.appVersion}; update Paddock — this version will not write to it`,
      { appVersion: a.appVersion, thisAppVersion: known.appVersion },
    );
  }
  return problem('MISSING_MIGRATION', a.name, `applied on ${a.appliedAt} but the file is gone`);
}

/** Problems of the history against the files. Pure: no database access. */
export function checkHistory(known: Known, applied: readonly AppliedMigration[]): MigrationProblem[] {
  const problems: MigrationProblem[] = [];
  const maxKnown = known.migrations.reduce((m, x) => Math.max(m, x.id), 0);
  const appliedIds = new Set(applied.map((a) => a.id));
  const maxApplied = applied.reduce((m, x) => Math.max(m, x.id), 0);
  for (const a of applied) {
    const mig = byId(known, a.id);
    if (!mig) {
      problems.push(unknownApplied(known, a, maxKnown));
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
  for (const m of known.migrations) {
    if (!appliedIds.has(m.id) && m.id < maxApplied) {
      const later = applied.find((a) => a.id > m.id);
      problems.push(problem('OUT_OF_ORDER', m.name, `is pending but ${later?.name ?? 'a later migration'} is already applied`));
    }
  }
  return problems;
}

function driftProblem(applied: readonly AppliedMigration[], last: AppliedMigration, fingerprint: string): { drift: NonNullable<MigrationStatus['drift']>; problem: MigrationProblem } {
  const older = [...applied].reverse().find((a) => a.fingerprint === fingerprint);
  return {
    drift: { expected: last.fingerprint!, actual: fingerprint, migration: last.name, matches: older?.name ?? null },
    problem: problem(
      'SCHEMA_DRIFT',
      last.name,
      older
        ? `the schema is the one recorded after ${older.name}, not after ${last.name}: later changes were undone outside the migrator`
        : `the schema differs from the one recorded after ${last.name} was applied (changed outside the migrator, or partially migrated)`,
      { expected: last.fingerprint, actual: fingerprint },
      'warning',
    ),
  };
}

/** Applied, pending, problems, current id, and schema drift. Never writes. */
export async function readStatus(known: Known, db: Db): Promise<MigrationStatus> {
  const applied = await readHistory(db);
  const problems = checkHistory(known, applied);
  const appliedIds = new Set(applied.map((a) => a.id));
  const pending = known.migrations.filter((m) => !appliedIds.has(m.id)).map((m) => ({ id: m.id, name: m.name }));
  const fingerprint = await schemaFingerprint(db);
  const last = applied[applied.length - 1];
  let drift: MigrationStatus['drift'] = null;
  if (last?.fingerprint && last.fingerprint !== fingerprint) {
    const found = driftProblem(applied, last, fingerprint);
    drift = found.drift;
    problems.push(found.problem);
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

/**
 * Compare-and-swap inside the write transaction: the history is read again under the lock.
 * Returns false when another process already did this step (the migrator then skips it).
 */
export async function stillToDo(known: Known, tx: Transaction, step: PlannedStep): Promise<boolean> {
  const applied = await readHistory(tx);
  const errors = checkHistory(known, applied).filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new MigrationError(errors);
  const row = applied.find((a) => a.id === step.id);
  const later = applied.find((a) => a.id > step.id);
  if (step.direction === 'up') {
    if (row) return false;
    // Another process may have rolled forward past us in the meantime; never apply below it.
    if (later) throw new MigrationError([problem('OUT_OF_ORDER', step.name, `${later.name} was applied meanwhile by another process`)]);
    return true;
  }
  if (!row) return false;
  if (later) throw new MigrationError([problem('OUT_OF_ORDER', step.name, `${later.name} was applied meanwhile; roll that back first`)]);
  return true;
}

/** The step's history row (up), or its removal and an audit row (down). */
export async function recordStep(known: Known, tx: Db, step: PlannedStep, executionMs: number): Promise<void> {
  const mig = byId(known, step.id)!;
  const now = new Date().toISOString();
  if (step.direction === 'up') {
    const fp = await schemaFingerprint(tx);
    await tx.execute({
      sql: 'INSERT INTO schema_migrations (id, name, checksum, applied_at, execution_ms, app_version, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)',
      args: [mig.id, mig.name, mig.checksum, now, executionMs, known.appVersion, fp],
    });
    return;
  }
  await tx.execute({ sql: 'DELETE FROM schema_migrations WHERE id = ?', args: [mig.id] });
  await tx.execute({
    sql: "INSERT INTO schema_migrations_audit (at, action, migration_id, name, old_checksum, new_checksum, app_version) VALUES (?, 'rollback', ?, ?, ?, NULL, ?)",
    args: [now, mig.id, mig.name, mig.checksum, known.appVersion],
  });
}

/** Accepts `mig`'s file checksum for its applied row, with an audit row; false when it already matched. */
export async function acceptChecksum(known: Known, tx: Transaction, mig: Migration): Promise<{ oldChecksum: string; changed: boolean }> {
  await ensureHistoryTables(tx);
  const applied = await readHistory(tx);
  const newer = checkHistory(known, applied).filter((p) => p.code === 'DB_NEWER_THAN_APP');
  if (newer.length > 0) throw new MigrationError(newer);
  const row = applied.find((a) => a.id === mig.id);
  if (!row) throw new MigrationError([problem('NOT_APPLIED', mig.name, 'is not applied; there is no checksum to accept')]);
  if (row.checksum === mig.checksum) return { oldChecksum: row.checksum, changed: false };
  const now = new Date().toISOString();
  await tx.execute({ sql: 'UPDATE schema_migrations SET checksum = ? WHERE id = ?', args: [mig.checksum, mig.id] });
  await tx.execute({
    sql: "INSERT INTO schema_migrations_audit (at, action, migration_id, name, old_checksum, new_checksum, app_version) VALUES (?, 'repair_checksum', ?, ?, ?, ?, ?)",
    args: [now, mig.id, mig.name, row.checksum, mig.checksum, known.appVersion],
  });
  return { oldChecksum: row.checksum, changed: true };
}

/** Rows of the audit table (repairs and rollbacks), oldest first. */
export async function readAudit(db: Db): Promise<Array<Record<string, unknown>>> {
  const t = await db.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations_audit'");
  if (t.rows.length === 0) return [];
  const rs = await db.execute('SELECT * FROM schema_migrations_audit ORDER BY seq');
  return rs.rows.map((r) => ({ ...r }));
}
