import { describe, expect, test } from 'vitest';
import { checksumOf, loadMigrations, normaliseText, parseMigration } from './parse.js';
import { MigrationError } from './types.js';

const LF = '-- migrate:up\nCREATE TABLE a(x);\nCREATE TABLE b(y);\n\n-- migrate:down\nDROP TABLE b;\nDROP TABLE a;\n';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof MigrationError) return e.code;
    throw e;
  }
  return undefined;
}

describe('checksums', () => {
  test('sha256:<hex> of the text', () => {
    expect(checksumOf(LF)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('CRLF, CR and a BOM hash like the LF original', () => {
    const crlf = '\uFEFF' + LF.replace(/\n/g, '\r\n');
    const cr = LF.replace(/\n/g, '\r');
    expect(checksumOf(crlf)).toBe(checksumOf(LF));
    expect(checksumOf(cr)).toBe(checksumOf(LF));
    expect(normaliseText(crlf)).toBe(LF);
  });

  test('any real change changes the checksum', () => {
    expect(checksumOf(LF.replace('a(x)', 'a(x, z)'))).not.toBe(checksumOf(LF));
  });
});

describe('parseMigration', () => {
  test('parses id, slug, sections and statement lines', () => {
    const m = parseMigration({ file: '0007_add_things.sql', text: '-- header comment\n' + LF });
    expect(m).toMatchObject({ id: 7, name: '0007_add_things.sql', slug: 'add_things', upTransactional: true, reversible: true });
    expect(m.up.map((s) => [s.sql, s.line])).toEqual([
      ['CREATE TABLE a(x)', 3],
      ['CREATE TABLE b(y)', 4],
    ]);
    expect(m.down.map((s) => s.sql)).toEqual(['DROP TABLE b', 'DROP TABLE a']);
  });

  test('CRLF + BOM file parses to the same statements', () => {
    const a = parseMigration({ file: '0001_a.sql', text: LF });
    const b = parseMigration({ file: '0001_a.sql', text: '\uFEFF' + LF.replace(/\n/g, '\r\n') });
    expect(b.up).toEqual(a.up);
    expect(b.checksum).toBe(a.checksum);
  });

  test('transaction:false option', () => {
    const m = parseMigration({ file: '0002_vac.sql', text: '-- migrate:up transaction:false\nVACUUM;\n-- migrate:down\n' });
    expect(m.upTransactional).toBe(false);
    expect(m.reversible).toBe(false);
  });

  test.each([
    ['bad name', 'init.sql', LF],
    ['no up marker', '0001_a.sql', 'CREATE TABLE a(x);\n-- migrate:down\n'],
    ['no down marker', '0001_a.sql', '-- migrate:up\nCREATE TABLE a(x);\n'],
    ['down before up', '0001_a.sql', '-- migrate:down\nDROP TABLE a;\n-- migrate:up\nCREATE TABLE a(x);\n'],
    ['empty up', '0001_a.sql', '-- migrate:up\n-- nothing\n-- migrate:down\n'],
    ['SQL before up', '0001_a.sql', 'CREATE TABLE z(x);\n' + LF],
    ['PRAGMA foreign_keys in body', '0001_a.sql', '-- migrate:up\nPRAGMA foreign_keys = OFF;\n-- migrate:down\n'],
    ['COMMIT in body', '0001_a.sql', '-- migrate:up\nCREATE TABLE a(x);\nCOMMIT;\n-- migrate:down\n'],
    ['VACUUM in a transaction', '0001_a.sql', '-- migrate:up\nVACUUM;\n-- migrate:down\n'],
    ['unknown option', '0001_a.sql', '-- migrate:up fast:true\nSELECT 1;\n-- migrate:down\n'],
    ['unterminated string', '0001_a.sql', "-- migrate:up\nSELECT 'x;\n-- migrate:down\n"],
    [
      'a rename-first rebuild',
      '0001_a.sql',
      '-- migrate:up\nALTER TABLE "parent" RENAME TO old_parent;\nCREATE TABLE parent (id INTEGER PRIMARY KEY);\nINSERT INTO parent SELECT id FROM old_parent;\nDROP TABLE old_parent;\n-- migrate:down\n',
    ],
  ])('rejects %s as INVALID_MIGRATION naming the file', (_what, file, text) => {
    try {
      parseMigration({ file, text });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MigrationError);
      expect((e as MigrationError).code).toBe('INVALID_MIGRATION');
      expect((e as MigrationError).problems[0]!.migration).toBe(file);
    }
  });
});

test('the 12-step rebuild order is accepted', () => {
  const m = parseMigration({
    file: '0002_rebuild.sql',
    text: '-- migrate:up\nCREATE TABLE new_parent (id INTEGER PRIMARY KEY);\nINSERT INTO new_parent SELECT id FROM parent;\nDROP TABLE parent;\nALTER TABLE new_parent RENAME TO parent;\n-- migrate:down\n',
  });
  expect(m.up).toHaveLength(4);
});

describe('loadMigrations', () => {
  test('orders by number, not by string', () => {
    const ms = loadMigrations([
      { file: '10_c.sql', text: LF },
      { file: '0002_b.sql', text: LF },
      { file: '1_a.sql', text: LF },
    ]);
    expect(ms.map((m) => m.id)).toEqual([1, 2, 10]);
  });

  test('two files with one number are DUPLICATE_MIGRATION', () => {
    expect(codeOf(() => loadMigrations([{ file: '0008_a.sql', text: LF }, { file: '0008_b.sql', text: LF }]))).toBe('DUPLICATE_MIGRATION');
  });

  test('collects every bad file', () => {
    try {
      loadMigrations([{ file: 'x.sql', text: LF }, { file: '0001_a.sql', text: 'nope' }]);
      expect.unreachable();
    } catch (e) {
      expect((e as MigrationError).problems.map((p) => p.migration)).toEqual(['x.sql', '0001_a.sql']);
    }
  });
});
