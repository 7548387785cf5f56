// Shapes shared by the migrator, the database opener, the CLI and (later) the start-up UI.

/** A migration file as found on disk or bundled into the build. */
export interface MigrationSource {
  /** File name, e.g. `0001_init.sql`. */
  file: string;
  /** The file's full text, exactly as read (BOM and CRLF allowed). */
  text: string;
}

/** One statement of a migration section, with where it starts in the normalised file (1-based). */
export interface Statement {
  sql: string;
  line: number;
}

export interface Migration {
  /** Numeric prefix of the file name; the order migrations run in. */
  id: number;
  /** The file name, e.g. `0001_init.sql`: what every message and history row names. */
  name: string;
  /** The part after the number, e.g. `init`. */
  slug: string;
  /** `sha256:<hex>` of the normalised text (BOM stripped, CRLF/CR -> LF). */
  checksum: string;
  up: Statement[];
  down: Statement[];
  /** False when the file says `-- migrate:up transaction:false` (e.g. for VACUUM). */
  upTransactional: boolean;
  downTransactional: boolean;
  /** The file has a `-- migrate:down` section with at least one statement. */
  reversible: boolean;
}

export const PROBLEM_CODES = [
  'CHECKSUM_MISMATCH',
  'MISSING_MIGRATION',
  'OUT_OF_ORDER',
  'DB_NEWER_THAN_APP',
  'FK_VIOLATION',
  'MIGRATION_FAILED',
  'LOCKED',
  'INVALID_MIGRATION',
  'DUPLICATE_MIGRATION',
  'IRREVERSIBLE',
  'SCHEMA_DRIFT',
  'BACKUP_FAILED',
  'RESTORE_FAILED',
  'NOT_APPLIED',
  'INVALID_ARGUMENT',
  'DB_ERROR',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface MigrationProblem {
  code: ProblemCode;
  /** The migration file the problem is about, or null when it is about the whole database. */
  migration: string | null;
  message: string;
  /** Warnings (schema drift) are reported but do not block migrating. */
  severity: 'error' | 'warning';
  /** Extra structured detail (statement, SQLite code, app version...). */
  detail?: Record<string, unknown>;
}

export interface AppliedMigration {
  id: number;
  name: string;
  checksum: string;
  appliedAt: string;
  executionMs: number;
  appVersion: string;
  fingerprint: string | null;
}

export interface PendingMigration {
  id: number;
  name: string;
}

export interface SchemaDrift {
  /** Fingerprint stored after the latest applied migration. */
  expected: string;
  /** Fingerprint of the schema as it is now. */
  actual: string;
  /** The migration whose stored fingerprint we compared with. */
  migration: string;
  /**
   * An earlier applied migration whose recorded fingerprint equals the schema as it is now (a
   * known older schema: something was undone by hand), or null (unknown: tampered or partial).
   */
  matches: string | null;
}

export interface MigrationStatus {
  /** Id of the latest applied migration, or null on an unmigrated database. */
  current: number | null;
  applied: AppliedMigration[];
  pending: PendingMigration[];
  problems: MigrationProblem[];
  /** True when no problem of severity `error` was found. */
  ok: boolean;
  drift: SchemaDrift | null;
  fingerprint: string;
}

export interface PlannedStep {
  direction: 'up' | 'down';
  id: number;
  name: string;
  transactional: boolean;
  statements: Statement[];
}

export interface RunResult {
  direction: 'up' | 'down';
  dryRun: boolean;
  /** Steps that ran (or would run, on a dry run), in order. */
  steps: PlannedStep[];
  /** Backup file taken before the run, if any. */
  backup: string | null;
  /** Human-readable notes, e.g. why no backup was taken on a remote database. */
  notices: string[];
  status: MigrationStatus;
}

export type MigrationProgress =
  | { type: 'notice'; message: string }
  | { type: 'backup'; file: string }
  | { type: 'migration:start'; direction: 'up' | 'down'; migration: string; index: number; total: number; statements: number }
  | { type: 'statement'; direction: 'up' | 'down'; migration: string; index: number; total: number; sql: string }
  | { type: 'migration:skip'; direction: 'up' | 'down'; migration: string; reason: string }
  | { type: 'migration:done'; direction: 'up' | 'down'; migration: string; executionMs: number }
  | { type: 'migration:failed'; direction: 'up' | 'down'; migration: string; code: ProblemCode; message: string }
  | { type: 'restore'; file: string };

/** A problem that stopped the operation; `problems` lists every one found (at least one). */
export class MigrationError extends Error {
  readonly code: ProblemCode;
  readonly problems: MigrationProblem[];

  constructor(problems: MigrationProblem[]) {
    const first = problems[0];
    if (!first) throw new Error('MigrationError needs at least one problem');
    super(problems.map((p) => `${p.code}${p.migration ? ` (${p.migration})` : ''}: ${p.message}`).join('\n'));
    this.name = 'MigrationError';
    this.code = first.code;
    this.problems = problems;
  }
}

export function problem(
  code: ProblemCode,
  migration: string | null,
  message: string,
  detail?: Record<string, unknown>,
  severity: 'error' | 'warning' = 'error',
): MigrationProblem {
  return { code, migration, message, severity, ...(detail ? { detail } : {}) };
}
