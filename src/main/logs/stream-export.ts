// Reading a whole session log page by page for export, all pages from ONE read transaction: a
// session that is still streaming cannot tear between pages (a chunk without its node, a node
// without its children). Each page is one statement returning JSON text (see rows.ts).
import type { Client, Transaction } from '@libsql/client';
import type { LogChunk, LogNode } from '../../shared/domain.js';
import { NODE_JSON, chunksFromJson, nodesFromJson } from './rows.js';

export interface LogPageWithChunks {
  nodes: LogNode[];
  /** The page's chunks, grouped by node in page order, each node's in seq order. */
  chunks: LogChunk[];
}

export interface SessionLogReader {
  /** Node count of the session (for progress), read in the same snapshot. */
  total: number;
  pages: AsyncIterable<LogPageWithChunks>;
  close(): void;
}

export async function openSessionLogReader(client: Pick<Client, 'transaction'>, sessionId: string, pageSize = 2_000): Promise<SessionLogReader> {
  const tx = await client.transaction('read');
  let closed = false;
  const close = () => {
    if (!closed) tx.close();
    closed = true;
  };
  try {
    const rs = await tx.execute({ sql: 'SELECT count(*) AS c FROM log_nodes WHERE session_id = ?', args: [sessionId] });
    const total = Number(rs.rows[0]?.c ?? 0);
    return { total, pages: pages(tx, sessionId, pageSize, close), close };
  } catch (e) {
    close();
    throw e;
  }
}

async function* pages(tx: Transaction, sessionId: string, pageSize: number, close: () => void): AsyncGenerator<LogPageWithChunks> {
  try {
    let after = '';
    for (;;) {
      const rs = await tx.execute({
        sql: `SELECT json_group_array(${NODE_JSON} ORDER BY n.path) AS j,
                (SELECT json_group_array(json_array(c.node_id, c.seq, c.text, c.at_ms))
                   FROM (SELECT p.path AS path, c.* FROM (SELECT id, path FROM log_nodes
                           WHERE session_id = ?1 AND path > ?2 ORDER BY path LIMIT ?3) p
                         JOIN log_chunks c ON c.node_id = p.id ORDER BY p.path, c.seq) c) AS ch
              FROM (SELECT * FROM log_nodes n WHERE n.session_id = ?1 AND n.path > ?2 ORDER BY n.path LIMIT ?3) n`,
        args: [sessionId, after, pageSize],
      });
      const row = rs.rows[0];
      const { nodes, paths } = nodesFromJson(row?.j ?? '[]');
      if (nodes.length === 0) return;
      yield { nodes, chunks: chunksFromJson(row?.ch ?? '[]') };
      if (nodes.length < pageSize) return;
      after = paths[paths.length - 1]!;
    }
  } finally {
    close();
  }
}
