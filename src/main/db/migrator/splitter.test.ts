import { describe, expect, test } from 'vitest';
import { splitStatements, SqlSplitError } from './splitter.js';

const sqls = (s: string): string[] => splitStatements(s).map((x) => x.sql);

describe('splitStatements', () => {
  test('splits plain statements and drops empty ones', () => {
    expect(sqls('CREATE TABLE a(x);\n\n;CREATE TABLE b(y);  ')).toEqual(['CREATE TABLE a(x)', 'CREATE TABLE b(y)']);
  });

  test('keeps a last statement without a semicolon', () => {
    expect(sqls('SELECT 1;\nSELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  test('semicolons inside strings and quoted identifiers do not split', () => {
    const script = `INSERT INTO t VALUES ('a;b', 'it''s; fine');
CREATE TABLE "we;ird" ("col;1" TEXT, [br;acket] TEXT, \`back;tick\` TEXT);
SELECT x'3b3b'`;
    expect(sqls(script)).toEqual([
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      'CREATE TABLE "we;ird" ("col;1" TEXT, [br;acket] TEXT, `back;tick` TEXT)',
      "SELECT x'3b3b'",
    ]);
  });

  test('comments are not statements and their semicolons do not split', () => {
    const script = `-- leading comment; with a semicolon
/* block; comment
   spanning lines; */
CREATE TABLE a(x); -- trailing; comment
/* only a comment; */
-- another
CREATE TABLE b(y /* inline; */)`;
    expect(sqls(script)).toEqual(['CREATE TABLE a(x)', 'CREATE TABLE b(y /* inline; */)']);
  });

  test('a quote inside a comment does not open a string', () => {
    expect(sqls("-- don't\nSELECT 1;\n/* it's */ SELECT 2;")).toEqual(['SELECT 1', 'SELECT 2']);
  });

  test('CREATE TRIGGER keeps its BEGIN … END body together, with CASE … END nested', () => {
    const trigger = `CREATE TRIGGER IF NOT EXISTS t_check BEFORE UPDATE ON t
FOR EACH ROW
WHEN (CASE WHEN new.x > 0 THEN 1 ELSE 0 END) = 1
BEGIN
  SELECT CASE
    WHEN new.status = 'done' AND old.status <> 'running' THEN RAISE(ABORT, 'illegal; transition')
    ELSE NULL
  END;
  UPDATE t SET n = n + 1 WHERE id = new.id;
END`;
    const script = `CREATE TABLE t(id, x, n, status);\n${trigger};\nCREATE INDEX t_x ON t(x);`;
    expect(sqls(script)).toEqual(['CREATE TABLE t(id, x, n, status)', trigger, 'CREATE INDEX t_x ON t(x)']);
  });

  test('TEMP triggers and qualified names like new.end are handled', () => {
    const trig = `CREATE TEMP TRIGGER tt AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new."end", new.end); END`;
    expect(sqls(`${trig};SELECT 1;`)).toEqual([trig, 'SELECT 1']);
  });

  test('CASE … END outside a trigger', () => {
    expect(sqls("SELECT CASE WHEN 1 THEN 'a;' ELSE 'b' END AS v; SELECT 2")).toEqual(["SELECT CASE WHEN 1 THEN 'a;' ELSE 'b' END AS v", 'SELECT 2']);
  });

  test('a BEGIN outside a trigger does not swallow what follows', () => {
    expect(sqls('BEGIN; SELECT 1; COMMIT;')).toEqual(['BEGIN', 'SELECT 1', 'COMMIT']);
  });

  test('reports the line each statement starts on', () => {
    const st = splitStatements('-- c\n\nSELECT 1;\n  /* x */\n  SELECT\n 2;', 10);
    expect(st.map((s) => s.line)).toEqual([12, 14]);
  });

  test('unterminated strings, comments and blocks are errors, not silent merges', () => {
    expect(() => splitStatements("SELECT 'abc;\nSELECT 2;")).toThrow(SqlSplitError);
    expect(() => splitStatements('SELECT 1; /* never closed')).toThrow(/unterminated \/\* comment/);
    expect(() => splitStatements('CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;')).toThrow(/unterminated BEGIN/);
  });
});
