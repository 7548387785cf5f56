// Running one step's statements and checking what they left, on the connection or transaction
// the migrator hands in.
import { decodeRow, num, numOrNull, str, type RowSchema } from '../rows.js';
import type { Db } from './history.js';
import { MigrationError, problem, type MigrationProgress, type PlannedStep } from './types.js';

/** A pragma_foreign_key_check row (rowid is null for a WITHOUT ROWID table). */
const FK_VIOLATION_ROW = { table: str, rowid: numOrNull, parent: str, fkid: num } as const satisfies RowSchema;

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs the statements in order; returns how long they took (ms). */
export async function execStatements(db: Db, step: PlannedStep, emit: (e: MigrationProgress) => void): Promise<number> {
  const started = performance.now();
  const n = step.statements.length;
  for (const [i, st] of step.statements.entries()) {
    emit({ type: 'statement', direction: step.direction, migration: step.name, index: i, total: n, sql: st.sql });
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

export async function checkForeignKeys(db: Db, step: PlannedStep): Promise<void> {
  const rs = await db.execute('SELECT "table", rowid, parent, fkid FROM pragma_foreign_key_check LIMIT 20');
  if (rs.rows.length === 0) return;
  const violations = rs.rows.map((r) => decodeRow(r, FK_VIOLATION_ROW));
  const list = violations.map((v) => `${v.table} rowid ${String(v.rowid)} -> ${v.parent}`);
  throw new MigrationError([problem('FK_VIOLATION', step.name, `${step.direction} leaves dangling foreign keys: ${list.join('; ')}`, { violations })]);
}
