// A bulk import keeps the schema's derived data true: every node's child_count equals its
// children, the full-text index agrees with the log (FTS5 integrity check) and finds imported
// words in the imported session, and streamed chunks arrive in order.
import { describe, expect, it } from 'vitest';
import { runExport } from '../export/index.js';
import { eachTestDbPair, seedRichSession, type InterchangeTestDb } from '../testing.js';
import { runImport } from './index.js';

let a: InterchangeTestDb;
let b: InterchangeTestDb;
eachTestDbPair((x, y) => {
  a = x;
  b = y;
});

describe('derived data after a bulk import', () => {
  it('child counts, the full-text index and chunks are right for every imported format', async () => {
    const id = await seedRichSession(a);
    for (const format of ['paddock', 'ag-ui', 'otlp'] as const) {
      const file = (await runExport(a.exportDeps, { sessionId: id }, format, `${a.dir}/out-${format}`)).path;
      const r = await runImport(b.importDeps, { path: file }, { format });
      const rs = await b.client.execute({
        sql: `SELECT count(*) AS wrong FROM log_nodes p
              WHERE p.session_id = ? AND p.child_count <> (SELECT count(*) FROM log_nodes c WHERE c.parent_id = p.id)`,
        args: [r.sessionId],
      });
      expect(rs.rows[0]!.wrong, format).toBe(0);
      // FTS5 compares its index with the content it indexes; any drift throws.
      await b.client.execute("INSERT INTO log_fts (log_fts) VALUES ('integrity-check')");
      const stored = await b.logs.tree(r.sessionId);
      const withText = stored.filter((n) => /\w{4,}/.test(n.content));
      expect(withText.length, format).toBeGreaterThan(0);
      for (const n of withText.slice(0, 5)) {
        const word = /\w{4,}/.exec(n.content)![0];
        const hits = await b.logs.search({ query: word, sessionId: r.sessionId, limit: 200 });
        expect(hits.map((h) => h.nodeId), `${format}: "${word}"`).toContain(n.id);
      }
    }
    const chunks = await b.client.execute(`SELECT count(*) AS c FROM log_chunks`);
    expect(Number(chunks.rows[0]!.c)).toBeGreaterThan(0);
  });
});
