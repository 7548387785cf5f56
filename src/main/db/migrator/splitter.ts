// Splits a SQL script into single statements. @libsql/client's execute() silently runs only the
// first statement of a string, so every migration goes through here. Modelled on Flyway's SQLite
// parser: a `;` ends a statement unless it sits in a string, a quoted identifier, a comment, or a
// BEGIN…END block of a CREATE TRIGGER (where CASE…END nests inside).

import type { Statement } from './types.js';

export class SqlSplitError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'SqlSplitError';
  }
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * @param sql script text with LF line endings
 * @param firstLine line number of the script's first line within its file (1-based)
 */
// eslint-disable-next-line max-lines-per-function -- one scanner loop whose states (string, comment, trigger body) share the position; split, each part would need the whole state passed back and forth
export function splitStatements(sql: string, firstLine = 1): Statement[] {
  const out: Statement[] = [];
  let line = firstLine;
  let start = 0; // start of the current statement in `sql`
  let startLine = -1; // line of the first significant char of the current statement, -1 = none yet
  // Keywords seen so far in the current statement (only the first three matter for trigger detection).
  let words: string[] = [];
  let isTrigger = false;
  let blockDepth = 0; // BEGIN…END of a trigger body plus CASE…END nested anywhere
  let i = 0;
  const n = sql.length;

  const markSignificant = (): void => {
    if (startLine < 0) startLine = line;
  };
  const finish = (end: number): void => {
    const text = trimStatement(sql.slice(start, end));
    if (text.length > 0 && startLine >= 0) out.push({ sql: text, line: startLine });
    start = end + 1;
    startLine = -1;
    words = [];
    isTrigger = false;
    blockDepth = 0;
  };

  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === '-' && next === '-') {
      // Line comment: runs to end of line; does not make a statement significant.
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const open = line;
      i += 2;
      while (i < n && !(sql[i] === '*' && sql[i + 1] === '/')) {
        if (sql[i] === '\n') line++;
        i++;
      }
      if (i >= n) throw new SqlSplitError(`unterminated /* comment starting on line ${open}`, open);
      i += 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      markSignificant();
      const close = c === '[' ? ']' : c;
      const open = line;
      i++;
      for (;;) {
        if (i >= n) {
          const what = c === "'" ? 'string' : 'quoted identifier';
          throw new SqlSplitError(`unterminated ${what} starting on line ${open}`, open);
        }
        const ch = sql[i]!;
        if (ch === '\n') line++;
        if (ch === close) {
          // A doubled quote is an escaped quote ('' and ""), except for [..] which has no escape.
          if (close !== ']' && sql[i + 1] === close) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      continue;
    }
    if (c === ';') {
      if (blockDepth > 0) {
        i++;
        continue;
      }
      finish(i);
      i++;
      continue;
    }
    if (WORD_START.test(c)) {
      markSignificant();
      let j = i + 1;
      while (j < n && WORD_CHAR.test(sql[j]!)) j++;
      // A word right after '.' is a qualified name part (new.end), never a keyword.
      const qualified = i > 0 && sql[i - 1] === '.';
      const word = sql.slice(i, j).toUpperCase();
      if (!qualified) {
        if (words.length < 3) {
          words.push(word);
          isTrigger =
            words[0] === 'CREATE' &&
            (words[1] === 'TRIGGER' || ((words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER'));
        }
        if (word === 'BEGIN' && isTrigger) blockDepth++;
        else if (word === 'CASE') blockDepth++;
        else if (word === 'END' && blockDepth > 0) blockDepth--;
      }
      i = j;
      continue;
    }
    if (!/\s/.test(c)) markSignificant();
    i++;
  }
  if (blockDepth > 0 && startLine >= 0) {
    throw new SqlSplitError(`unterminated BEGIN/CASE block in the statement starting on line ${startLine}`, startLine);
  }
  finish(n);
  return out;
}

/** Removes leading/trailing whitespace and comments so each statement starts at its first keyword. */
function trimStatement(s: string): string {
  let t = s;
  for (;;) {
    const before = t;
    t = t.replace(/^\s+/, '');
    if (t.startsWith('--')) {
      const nl = t.indexOf('\n');
      t = nl < 0 ? '' : t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const end = t.indexOf('*/');
      t = end < 0 ? '' : t.slice(end + 2);
    }
    if (t === before) break;
  }
  return t.replace(/\s+$/, '');
}
