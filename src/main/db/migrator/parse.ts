// Turns migration files (`NNNN_slug.sql` with `-- migrate:up` / `-- migrate:down` sections) into
// checked, ordered Migration objects. Everything here is pure: no database, no file system.

import { createHash } from 'node:crypto';
import { splitStatements, SqlSplitError } from './splitter.js';
import { MigrationError, problem, type Migration, type MigrationProblem, type MigrationSource, type Statement } from './types.js';

export const MIGRATION_FILE_RE = /^(\d{1,15})_([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$/;
const MARKER_RE = /^--\s*migrate:(up|down)\b(.*)$/i;

/** Strips a BOM and turns CRLF / CR into LF, so a Windows checkout hashes like a Unix one. */
export function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function checksumOf(text: string): string {
  return `sha256:${createHash('sha256').update(normaliseText(text), 'utf8').digest('hex')}`;
}

interface Section {
  transactional: boolean;
  statements: Statement[];
}

function parseOptions(rest: string, file: string, direction: string): { transactional: boolean } {
  let transactional = true;
  for (const opt of rest.trim().split(/\s+/).filter(Boolean)) {
    if (/^transaction:false$/i.test(opt)) transactional = false;
    else if (/^transaction:true$/i.test(opt)) transactional = true;
    else throw new MigrationError([problem('INVALID_MIGRATION', file, `unknown option "${opt}" on the -- migrate:${direction} line`)]);
  }
  return { transactional };
}

// Statements that would break the migrator's own transaction and FK handling if a file ran them.
const FORBIDDEN: Array<[RegExp, string]> = [
  [/^PRAGMA\s+(?:\w+\.)?foreign_keys\b/i, 'PRAGMA foreign_keys is managed by the migrator (it is a no-op inside a transaction)'],
  [/^(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i, 'transaction control is managed by the migrator'],
];
const NON_TRANSACTIONAL = /^VACUUM\b/i;

function lint(file: string, section: Section, direction: string): void {
  for (const st of section.statements) {
    for (const [re, why] of FORBIDDEN) {
      if (re.test(st.sql)) {
        throw new MigrationError([problem('INVALID_MIGRATION', file, `line ${st.line}: ${why}: ${firstLineOf(st.sql)}`, { line: st.line })]);
      }
    }
    if (section.transactional && NON_TRANSACTIONAL.test(st.sql)) {
      throw new MigrationError([
        problem('INVALID_MIGRATION', file, `line ${st.line}: VACUUM cannot run in a transaction; mark the section "-- migrate:${direction} transaction:false"`, {
          line: st.line,
        }),
      ]);
    }
  }
}

const IDENT = String.raw`(?:"((?:[^"]|"")+)"|\[([^\]]+)\]|\x60([^\x60]+)\x60|([A-Za-z_][A-Za-z0-9_$]*))`;
const RENAME_RE = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:\w+\.)?${IDENT}\s+RENAME\s+TO\s+${IDENT}`, 'i');
const CREATE_TABLE_RE = new RegExp(String.raw`^CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\.)?${IDENT}`, 'i');

function identAt(m: RegExpExecArray, start: number): string {
  return (m[start] ?? m[start + 1] ?? m[start + 2] ?? m[start + 3] ?? '').toLowerCase();
}

/**
 * Refuses the rename-first rebuild (rename X away, then create a new X): since SQLite 3.26 the
 * rename rewrites child foreign keys, views and triggers to the old name, so they end up pointing
 * at the table about to be dropped. sqlite.org's 12-step order creates new_X and renames it last.
 */
function lintRebuildOrder(file: string, section: Section): void {
  const renamedAway = new Map<string, number>();
  for (const st of section.statements) {
    const r = RENAME_RE.exec(st.sql);
    if (r) {
      renamedAway.set(identAt(r, 1), st.line);
      continue;
    }
    const c = CREATE_TABLE_RE.exec(st.sql);
    if (c && renamedAway.has(identAt(c, 1))) {
      const name = identAt(c, 1);
      throw new MigrationError([
        problem(
          'INVALID_MIGRATION',
          file,
          `line ${st.line}: table "${name}" is renamed away (line ${renamedAway.get(name)}) and then re-created; that rewrites references to the old table. Use the 12-step order: CREATE TABLE new_${name}, copy, DROP TABLE ${name}, ALTER TABLE new_${name} RENAME TO ${name}`,
          { line: st.line },
        ),
      ]);
    }
  }
}

function firstLineOf(sql: string): string {
  const l = sql.split('\n')[0] ?? '';
  return l.length > 80 ? `${l.slice(0, 77)}...` : l;
}

/** Parses one file. Throws MigrationError(INVALID_MIGRATION) naming the file on any format error. */
export function parseMigration(src: MigrationSource): Migration {
  const m = MIGRATION_FILE_RE.exec(src.file);
  if (!m) {
    throw new MigrationError([problem('INVALID_MIGRATION', src.file, 'file name must look like NNNN_slug.sql (digits, underscore, slug)')]);
  }
  const text = normaliseText(src.text);
  const lines = text.split('\n');
  const markers: Array<{ dir: 'up' | 'down'; index: number; rest: string }> = [];
  lines.forEach((l, index) => {
    const mm = MARKER_RE.exec(l.trim());
    if (mm) markers.push({ dir: mm[1]!.toLowerCase() as 'up' | 'down', index, rest: mm[2] ?? '' });
  });
  const ups = markers.filter((k) => k.dir === 'up');
  const downs = markers.filter((k) => k.dir === 'down');
  if (ups.length !== 1 || downs.length !== 1) {
    throw new MigrationError([
      problem('INVALID_MIGRATION', src.file, `needs exactly one "-- migrate:up" and one "-- migrate:down" line (found ${ups.length} and ${downs.length})`),
    ]);
  }
  const up = ups[0]!;
  const down = downs[0]!;
  if (down.index < up.index) {
    throw new MigrationError([problem('INVALID_MIGRATION', src.file, '"-- migrate:up" must come before "-- migrate:down"')]);
  }
  const preamble = splitSafe(src.file, lines.slice(0, up.index).join('\n'), 1);
  if (preamble.length > 0) {
    throw new MigrationError([problem('INVALID_MIGRATION', src.file, `line ${preamble[0]!.line}: SQL before "-- migrate:up" would never run`)]);
  }
  const upSection: Section = {
    ...parseOptions(up.rest, src.file, 'up'),
    statements: splitSafe(src.file, lines.slice(up.index + 1, down.index).join('\n'), up.index + 2),
  };
  const downSection: Section = {
    ...parseOptions(down.rest, src.file, 'down'),
    statements: splitSafe(src.file, lines.slice(down.index + 1).join('\n'), down.index + 2),
  };
  if (upSection.statements.length === 0) {
    throw new MigrationError([problem('INVALID_MIGRATION', src.file, 'the "-- migrate:up" section has no statements')]);
  }
  lint(src.file, upSection, 'up');
  lint(src.file, downSection, 'down');
  lintRebuildOrder(src.file, upSection);
  lintRebuildOrder(src.file, downSection);
  return {
    id: Number(m[1]),
    name: src.file,
    slug: m[2]!,
    checksum: checksumOf(src.text),
    up: upSection.statements,
    down: downSection.statements,
    upTransactional: upSection.transactional,
    downTransactional: downSection.transactional,
    reversible: downSection.statements.length > 0,
  };
}

function splitSafe(file: string, sql: string, firstLine: number): Statement[] {
  try {
    return splitStatements(sql, firstLine);
  } catch (e) {
    if (e instanceof SqlSplitError) throw new MigrationError([problem('INVALID_MIGRATION', file, e.message, { line: e.line })]);
    throw e;
  }
}

/**
 * Parses and orders a set of files. Files that are not `*.sql` should be filtered by the caller;
 * every problem (bad format, two files with one number) is collected and thrown together.
 */
export function loadMigrations(sources: readonly MigrationSource[]): Migration[] {
  const problems: MigrationProblem[] = [];
  const byId = new Map<number, Migration>();
  for (const src of sources) {
    let mig: Migration;
    try {
      mig = parseMigration(src);
    } catch (e) {
      if (e instanceof MigrationError) {
        problems.push(...e.problems);
        continue;
      }
      throw e;
    }
    const other = byId.get(mig.id);
    if (other) {
      problems.push(problem('DUPLICATE_MIGRATION', mig.name, `has the same number ${mig.id} as ${other.name}`));
      continue;
    }
    byId.set(mig.id, mig);
  }
  if (problems.length > 0) throw new MigrationError(problems);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
