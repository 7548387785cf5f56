// Which steps a migrate or a rollback would run, from the validated status. Pure.
import { byId, type Known } from './history.js';
import { MigrationError, problem, type AppliedMigration, type MigrationStatus, type PlannedStep } from './types.js';

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

export function planUp(known: Known, status: MigrationStatus, opts: MigrateOptions): PlannedStep[] {
  if (opts.to !== undefined && status.current !== null && opts.to < status.current) {
    throw new MigrationError([problem('INVALID_ARGUMENT', null, `--to ${opts.to} is below the current migration ${status.current}; use rollback to go down`)]);
  }
  if (opts.to !== undefined && !byId(known, opts.to) && opts.to !== status.current) {
    throw new MigrationError([problem('INVALID_ARGUMENT', null, `there is no migration with id ${opts.to}`)]);
  }
  let todo = status.pending.map((p) => byId(known, p.id)!).filter((m) => opts.to === undefined || m.id <= opts.to);
  if (opts.limit !== undefined) todo = todo.slice(0, Math.max(0, opts.limit));
  return todo.map((m) => ({ direction: 'up', id: m.id, name: m.name, transactional: m.upTransactional, statements: m.up }));
}

export function planDown(known: Known, status: MigrationStatus, opts: RollbackOptions): PlannedStep[] {
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
  const irreversible = todo.map((a) => byId(known, a.id)!).filter((m) => !m.reversible);
  if (irreversible.length > 0) {
    throw new MigrationError(irreversible.map((m) => problem('IRREVERSIBLE', m.name, 'has an empty "-- migrate:down" section and cannot be rolled back')));
  }
  return todo.map((a) => {
    const m = byId(known, a.id)!;
    return { direction: 'down', id: m.id, name: m.name, transactional: m.downTransactional, statements: m.down };
  });
}
