import { afterEach, describe, expect, test } from 'vitest';
import { normaliseSql, schemaFingerprint, schemaObjects } from './fingerprint.js';
import { tempDb, withClient, type TempDb } from './testing.js';

let db: TempDb;
afterEach(() => db?.cleanup());

describe('normaliseSql', () => {
  test('collapses whitespace and unquotes plain identifiers, leaving strings alone', () => {
    expect(normaliseSql('CREATE TABLE "parent"  (\n  id   INTEGER, [name] TEXT, `x` INT CHECK (x <> \'"a"  b\'))')).toBe(
      'CREATE TABLE parent(id INTEGER,name TEXT,x INT CHECK(x<>\'"a"  b\'))',
    );
    expect(normaliseSql('CREATE TABLE "odd name" (x)')).toBe('CREATE TABLE "odd name"(x)');
  });
});

describe('schemaFingerprint', () => {
  test('ignores sqlite_%, the migrator tables and FTS5 shadow tables; sees everything else', async () => {
    db = tempDb();
    await withClient(db, async (c) => {
      const empty = await schemaFingerprint(c);
      await c.execute('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY)');
      await c.execute('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT)');
      await c.execute("CREATE VIRTUAL TABLE t_fts USING fts5(body, content='t', content_rowid='id')");
      await c.execute('CREATE VIRTUAL TABLE docs USING fts5(title, body)');
      const names = (await schemaObjects(c)).map((r) => r.name).sort();
      expect(names).toEqual(['docs', 't', 't_fts']);
      const withFts = await schemaFingerprint(c);
      expect(withFts).not.toBe(empty);
      await c.execute("INSERT INTO docs VALUES ('a', 'b')");
      expect(await schemaFingerprint(c)).toBe(withFts); // data is not schema
      await c.execute('CREATE INDEX t_body ON t(body)');
      expect(await schemaFingerprint(c)).not.toBe(withFts);
    });
  });

  test('re-indenting or quoting differently is not drift; a real change is', async () => {
    db = tempDb();
    await withClient(db, async (c) => {
      await c.execute('CREATE TABLE a (x INTEGER)');
      const one = await schemaFingerprint(c);
      await c.execute('DROP TABLE a');
      await c.execute('CREATE   TABLE "a"\n(\n  x INTEGER\n)');
      expect(await schemaFingerprint(c)).toBe(one);
      await c.execute('DROP TABLE a');
      await c.execute('CREATE TABLE a (x TEXT)');
      expect(await schemaFingerprint(c)).not.toBe(one);
    });
  });
});
