// `paddock db …`: the migrator from a terminal (status, migrate, rollback, validate, plan, repair,
// backup, fingerprint). Exit 0 only on success; with --json every outcome is one JSON document on
// stdout, and problems are `{ ok: false, problems: [{ code, migration, message }] }`.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { APP_VERSION } from '../appVersion.js';
import { BUNDLED_MIGRATIONS } from '../db/bundledMigrations.generated.js';
import type { DatabaseLocation } from '../db/connection.js';
import { acquireInstanceLock, InstanceLockedError, LOCKED_EXIT_CODE, type InstanceLock } from '../host/instance-lock.js';
import { CliError, formatCliError } from './errors.js';
import { describeTarget, lockFileOf, prepareFolder, resolveTarget, type DatabaseTarget } from './target.js';
import {
  Migrator,
  MigrationError,
  problem,
  readMigrationsDir,
  type MigrationProblem,
  type MigrationProgress,
  type MigrationSource,
  type MigrationStatus,
  type PlannedStep,
} from '../db/migrator/index.js';

export const DB_COMMANDS = ['status', 'migrate', 'rollback', 'validate', 'plan', 'repair', 'backup', 'fingerprint'] as const;
type DbCommand = (typeof DB_COMMANDS)[number];

export const DB_USAGE = `Usage: paddock db <command> [options]

Commands:
  status        applied and pending migrations, problems, schema drift
  migrate       apply pending migrations (--to ID, --limit N, --dry-run)
  rollback      run down sections, newest first (--steps N (default 1) | --to ID, --dry-run)
  validate      check the history against the migration files; writes nothing
  plan          print the exact statements migrate would run (--down: what rollback would run)
  repair        accept the current checksum of an applied file (--accept-checksum-of FILE)
  backup        take a VACUUM INTO snapshot into backups/ beside the database
  fingerprint   print the schema fingerprint and compare it with the recorded one

Options:
  --db PATH|URL           database file (or a libsql://, https://, file: URL); its folder must exist
  --data-dir DIR          use DIR/paddock.db (default: $PADDOCK_DATA_DIR, else the folder
                          \`paddock serve\` and the desktop app use)
  --migrations-dir DIR    read migrations from DIR instead of the ones bundled in this build
  --to ID                 migrate/rollback/plan: stop at migration ID (rollback --to 0: all)
  --limit N               migrate/plan: apply at most N migrations
  --steps N               rollback/plan --down: revert N migrations (default 1)
  --dry-run               migrate/rollback: say what would happen; writes and creates nothing
  --down                  plan: the statements rollback would run
  --accept-checksum-of FILE   repair: record FILE's current checksum for its applied migration
  --json                  print one JSON document
  -h, --help              this text
Remote databases read their auth token from $PADDOCK_DB_AUTH_TOKEN.
migrate, rollback and repair refuse (exit code 3) while a Paddock runs on the same database;
the other commands only read and may run beside it.
`;

/** Thrown for bad command lines; exit code 2. */
class UsageError extends Error {}

/** The commands that write to the database and so must not run beside a live Paddock. */
const WRITING: ReadonlySet<DbCommand> = new Set(['migrate', 'rollback', 'repair']);
const READ_ONLY: ReadonlySet<DbCommand> = new Set(['status', 'validate', 'plan', 'fingerprint']);

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
};

function parseCount(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new UsageError(`--${name} must be a non-negative whole number, got "${v}"`);
  return Number(v);
}

const publicProblem = (p: MigrationProblem): { code: string; migration: string | null; message: string; severity: string } => ({
  code: p.code,
  migration: p.migration,
  message: p.message,
  severity: p.severity,
});

function statusJson(s: MigrationStatus): Record<string, unknown> {
  return {
    ok: s.ok,
    current: s.current,
    applied: s.applied.map((a) => ({ id: a.id, name: a.name, checksum: a.checksum, appliedAt: a.appliedAt, executionMs: a.executionMs, appVersion: a.appVersion })),
    pending: s.pending.map((p) => ({ id: p.id, name: p.name })),
    problems: s.problems.map(publicProblem),
    fingerprint: s.fingerprint,
    drift: s.drift,
  };
}

function stepsJson(steps: PlannedStep[]): Array<Record<string, unknown>> {
  return steps.map((s) => ({
    direction: s.direction,
    id: s.id,
    name: s.name,
    transactional: s.transactional,
    statements: s.statements.map((st) => ({ line: st.line, sql: st.sql })),
  }));
}

function describeStatus(s: MigrationStatus): string {
  const lines: string[] = [];
  lines.push(`current: ${s.current === null ? '(none)' : s.current}`);
  for (const a of s.applied) lines.push(`  applied  ${a.name}  ${a.appliedAt}  ${a.executionMs} ms  (Paddock ${a.appVersion})`);
  for (const p of s.pending) lines.push(`  pending  ${p.name}`);
  if (s.applied.length + s.pending.length === 0) lines.push('  (no migrations)');
  lines.push(`fingerprint: ${s.fingerprint}`);
  lines.push(...describeProblems(s.problems));
  return lines.join('\n') + '\n';
}

function describeProblems(problems: MigrationProblem[]): string[] {
  return problems.map((p) => `${p.severity === 'warning' ? 'warning' : 'error'}: ${p.code}${p.migration ? ` ${p.migration}` : ''}: ${p.message}`);
}

function progressLine(e: MigrationProgress): string | null {
  switch (e.type) {
    case 'notice':
      return `note: ${e.message}`;
    case 'backup':
      return `backup: ${e.file}`;
    case 'restore':
      return `restored the database from ${e.file}`;
    case 'migration:start':
      return `${e.direction === 'up' ? 'applying' : 'reverting'} ${e.migration} (${e.index + 1}/${e.total}, ${e.statements} statements)`;
    case 'migration:done':
      return `  done in ${e.executionMs} ms`;
    case 'migration:failed':
      return `  failed: ${e.code}`;
    case 'migration:skip':
      return `skipped ${e.migration}: ${e.reason}`;
    case 'statement':
      return null;
  }
}

export async function runDb(argv: string[], io: Io = defaultIo): Promise<number> {
  let json = argv.includes('--json');
  let label = 'db';
  // Problems from the migrator keep their code in the text; the command line's own (usage, lock,
  // folder) read as plain sentences.
  const fail = (problems: MigrationProblem[], code = 1, hint?: string, plain = false): number => {
    if (json) io.out(JSON.stringify({ ok: false, problems: problems.map(publicProblem) }, null, 2) + '\n');
    else {
      const lines = plain ? problems.map((p) => p.message) : describeProblems(problems);
      io.err(lines.map((line, i) => formatCliError(label, line, i === lines.length - 1 ? hint : undefined)).join(''));
    }
    return code;
  };

  let command: DbCommand;
  let values: ReturnType<typeof parse>['values'];
  try {
    const parsed = parse(argv);
    values = parsed.values;
    json = values.json ?? false;
    if (values.help) {
      io.out(DB_USAGE);
      return 0;
    }
    const [cmd, ...extra] = parsed.positionals;
    if (!cmd) throw new UsageError('missing command');
    if (!(DB_COMMANDS as readonly string[]).includes(cmd)) throw new UsageError(`unknown command "${cmd}"`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    command = cmd as DbCommand;
    label = `db ${command}`;
  } catch (e) {
    return fail([problem('INVALID_ARGUMENT', null, e instanceof Error ? e.message : String(e))], 2, USAGE_HINT, true);
  }

  let migrator: Migrator | null = null;
  let lock: InstanceLock | null = null;
  try {
    const to = parseCount('to', values.to);
    const limit = parseCount('limit', values.limit);
    const steps = parseCount('steps', values.steps);
    const dryRun = values['dry-run'] ?? false;
    if (command === 'repair' && !values['accept-checksum-of']) throw new UsageError('repair needs --accept-checksum-of FILE');
    const sources = migrationSources(values['migrations-dir']);
    const target = resolveTarget(values, io.env);
    if (target.source === 'default' || target.source === 'PADDOCK_DATA_DIR') io.err(`paddock ${label}: using ${describeTarget(target)}\n`);
    const writes = WRITING.has(command) && !dryRun;
    const location = locationFor(command, target, writes, json, io);
    if (writes) lock = lockFor(target);
    migrator = await Migrator.open({
      location,
      migrations: sources,
      appVersion: APP_VERSION,
      onProgress: (e) => {
        const line = progressLine(e);
        if (line && !json) io.err(line + '\n');
      },
    });
    return await runCommand(command, migrator, { to, limit, steps, dryRun, json, down: values.down ?? false, accept: values['accept-checksum-of'] }, io);
  } catch (e) {
    if (e instanceof UsageError) return fail([problem('INVALID_ARGUMENT', null, e.message)], 2, USAGE_HINT, true);
    if (e instanceof CliError) {
      const code = e.exitCode === LOCKED_EXIT_CODE ? 'LOCKED' : e.exitCode === 2 ? 'INVALID_ARGUMENT' : 'DB_ERROR';
      return fail([problem(code, null, e.message)], e.exitCode, e.hint, true);
    }
    if (e instanceof MigrationError) return fail(e.problems);
    return fail([problem('DB_ERROR', null, e instanceof Error ? e.message : String(e))]);
  } finally {
    migrator?.close();
    lock?.release();
  }
}

const USAGE_HINT = 'Run "paddock db --help" for the commands and options.';

function migrationSources(dir: string | undefined): readonly MigrationSource[] {
  if (!dir) return BUNDLED_MIGRATIONS;
  const resolved = path.resolve(dir);
  let sources: readonly MigrationSource[];
  try {
    sources = readMigrationsDir(resolved);
  } catch (e) {
    throw new UsageError(`cannot read --migrations-dir: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Otherwise every applied migration would look like it came from a newer Paddock.
  if (sources.length === 0) throw new UsageError(`no migrations found in ${resolved} (expected NNNN_name.sql files)`);
  return sources;
}

/**
 * Only a real migrate creates a database (and never a folder for a --db file). Read-only
 * commands and dry runs look at an empty in-memory stand-in instead (same answers: nothing
 * applied) so they leave no file behind.
 */
function locationFor(command: DbCommand, target: DatabaseTarget, writes: boolean, json: boolean, io: Io): DatabaseLocation {
  if (!target.file || fs.existsSync(target.file)) return target.location;
  if (command === 'migrate' && writes) {
    prepareFolder(target);
    return target.location;
  }
  if (READ_ONLY.has(command) || command === 'migrate') {
    if (!json) io.err(`note: ${target.file} does not exist yet\n`);
    return { url: ':memory:' };
  }
  throw new MigrationError([problem('DB_ERROR', null, `there is no database at ${target.file}`)]);
}

function lockFor(target: DatabaseTarget): InstanceLock | null {
  const file = lockFileOf(target);
  if (!file) return null;
  try {
    return acquireInstanceLock(file, { command: 'paddock db' });
  } catch (error) {
    if (!(error instanceof InstanceLockedError)) throw error;
    throw new CliError(error.message, LOCKED_EXIT_CODE, 'Stop that Paddock first (it migrates at start on its own), then run this again.');
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      db: { type: 'string' },
      'data-dir': { type: 'string' },
      'migrations-dir': { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string' },
      steps: { type: 'string' },
      'dry-run': { type: 'boolean' },
      down: { type: 'boolean' },
      json: { type: 'boolean' },
      'accept-checksum-of': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

interface CommandArgs {
  to: number | undefined;
  limit: number | undefined;
  steps: number | undefined;
  dryRun: boolean;
  json: boolean;
  down: boolean;
  accept: string | undefined;
}

async function runCommand(command: DbCommand, m: Migrator, a: CommandArgs, io: Io): Promise<number> {
  const print = (obj: Record<string, unknown>, text: string): void => {
    if (a.json) io.out(JSON.stringify(obj, null, 2) + '\n');
    else io.out(text);
  };
  const only = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

  switch (command) {
    case 'status':
    case 'validate': {
      const s = await m.status();
      if (command === 'status') print(statusJson(s), describeStatus(s));
      else print({ ok: s.ok, problems: s.problems.map(publicProblem) }, s.problems.length ? describeProblems(s.problems).join('\n') + '\n' : 'ok: the history matches the migration files\n');
      return s.ok ? 0 : 1;
    }
    case 'migrate':
    case 'rollback': {
      const r =
        command === 'migrate'
          ? await m.migrate(only({ to: a.to, limit: a.limit, dryRun: a.dryRun }))
          : await m.rollback(only({ to: a.to, steps: a.steps, dryRun: a.dryRun }));
      const names = r.steps.map((s) => s.name);
      const verb = command === 'migrate' ? 'applied' : 'reverted';
      const text = r.dryRun
        ? names.length
          ? `dry run: would ${command === 'migrate' ? 'apply' : 'revert'} ${names.join(', ')}\n`
          : 'dry run: nothing to do\n'
        : names.length
          ? `${verb} ${names.join(', ')}; current: ${r.status.current ?? '(none)'}\n`
          : `nothing to do; current: ${r.status.current ?? '(none)'}\n`;
      print(
        {
          ok: r.status.ok,
          dryRun: r.dryRun,
          [verb]: r.steps.map((s) => ({ id: s.id, name: s.name })),
          current: r.status.current,
          backup: r.backup,
          notices: r.notices,
          problems: r.status.problems.map(publicProblem),
        },
        text,
      );
      return r.status.ok ? 0 : 1;
    }
    case 'plan': {
      const steps = a.down
        ? await m.plan(only({ direction: 'down' as const, to: a.to, steps: a.steps }))
        : await m.plan(only({ direction: 'up' as const, to: a.to, limit: a.limit }));
      const text = steps.length
        ? steps
            .map(
              (s) =>
                `-- ${s.direction} ${s.name}${s.transactional ? '' : ' (no transaction)'}\n` + s.statements.map((st) => `${st.sql};\n`).join(''),
            )
            .join('\n')
        : '-- nothing to do\n';
      print({ ok: true, steps: stepsJson(steps) }, text);
      return 0;
    }
    case 'repair': {
      const r = await m.repair({ acceptChecksumOf: a.accept! });
      print(
        { ok: true, ...r },
        r.changed ? `accepted ${r.newChecksum} for ${r.migration} (was ${r.oldChecksum}); recorded in schema_migrations_audit\n` : `${r.migration} already has checksum ${r.newChecksum}\n`,
      );
      return 0;
    }
    case 'backup': {
      const file = await m.backup();
      print({ ok: true, file }, `${file}\n`);
      return 0;
    }
    case 'fingerprint': {
      const s = await m.status();
      const expected = s.applied[s.applied.length - 1]?.fingerprint ?? null;
      print({ ok: s.drift === null, fingerprint: s.fingerprint, expected, drift: s.drift }, s.drift ? `${s.fingerprint}\ndrift: expected ${s.drift.expected} (recorded after ${s.drift.migration})\n` : `${s.fingerprint}\n`);
      return s.drift === null ? 0 : 1;
    }
  }
}
