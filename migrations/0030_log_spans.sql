-- Streamed text stored once. Until 0030 a finished node held its text twice: assembled in
-- log_nodes.content (or tool_args for an action) and again, delta by delta, in log_chunks, whose
-- per-row key (a 36-character node id) cost as much as the text itself. A node that has left
-- 'streaming' now keeps only its deltas' sizes and timings, in one log_spans row:
--
-- * timing is a flat JSON array [bytes0, dt0, bytes1, dt1, ...]: each delta's length in UTF-8
--   bytes and its at_ms minus the previous delta's (the first: minus 0). chunk k's text is the
--   bytes [base + sum(bytes_0..k-1), +bytes_k) of the node's source text, which is content, or
--   tool_args for an 'action' node; its at_ms is sum(dt_0..k).
-- * base is where the streamed text starts in the source (a node may start with some text).
-- * count = number of deltas (chunk seqs 0..count-1). A node is compacted only when its chunks
--   are exactly seqs 0..count-1 and their concatenation is byte for byte the source's tail, so
--   replay stays exact; any other node (its text replaced at the end, tool arguments that were
--   not compact JSON) keeps its log_chunks rows as before.
-- * Streaming nodes keep log_chunks rows (readers concatenate them live); the log writer
--   compacts a node in the same transaction that ends it. This migration compacts what exists.

-- migrate:up
CREATE TABLE log_spans (
  node_id TEXT PRIMARY KEY NOT NULL REFERENCES log_nodes (id) ON DELETE CASCADE,
  base INTEGER NOT NULL CHECK (base >= 0),
  count INTEGER NOT NULL CHECK (count > 0),
  timing TEXT NOT NULL CHECK (json_valid(timing) AND json_array_length(timing) = 2 * count)
) STRICT, WITHOUT ROWID;

INSERT INTO log_spans (node_id, base, count, timing)
SELECT g.node_id, length(CAST(g.src AS BLOB)) - g.total, g.cnt, g.timing
FROM (
  SELECT c.node_id,
    CASE WHEN n.kind = 'action' THEN n.tool_args ELSE n.content END AS src,
    sum(length(CAST(c.text AS BLOB))) AS total,
    count(*) AS cnt, min(c.seq) AS lo, max(c.seq) AS hi,
    group_concat(c.text, '' ORDER BY c.seq) AS joined,
    '[' || group_concat(length(CAST(c.text AS BLOB)) || ',' || c.dt, ',' ORDER BY c.seq) || ']' AS timing
  FROM (SELECT node_id, seq, text, at_ms - coalesce(lag(at_ms) OVER (PARTITION BY node_id ORDER BY seq), 0) AS dt
        FROM log_chunks) c
  JOIN log_nodes n ON n.id = c.node_id
  WHERE n.status <> 'streaming'
  GROUP BY c.node_id
) g
WHERE g.lo = 0 AND g.hi = g.cnt - 1 AND g.src IS NOT NULL
  AND length(CAST(g.src AS BLOB)) >= g.total
  AND substr(CAST(g.src AS BLOB), length(CAST(g.src AS BLOB)) - g.total + 1) = CAST(g.joined AS BLOB);

DELETE FROM log_chunks
WHERE seq < (SELECT s.count FROM log_spans s WHERE s.node_id = log_chunks.node_id);

-- migrate:down
INSERT INTO log_chunks (node_id, seq, text, at_ms)
SELECT p.node_id, p.seq,
  CAST(substr(CAST(CASE WHEN n.kind = 'action' THEN n.tool_args ELSE n.content END AS BLOB),
    p.base + p.off + 1, p.len) AS TEXT),
  p.at_ms
FROM (
  SELECT q.node_id, q.base, q.seq, q.len,
    sum(q.len) OVER w - q.len AS off,
    sum(q.dt) OVER w AS at_ms
  FROM (
    SELECT s.node_id, s.base, j.key / 2 AS seq,
      max(CASE WHEN j.key % 2 = 0 THEN j.value END) AS len,
      max(CASE WHEN j.key % 2 = 1 THEN j.value END) AS dt
    FROM log_spans s, json_each(s.timing) j
    GROUP BY s.node_id, j.key / 2
  ) q
  WINDOW w AS (PARTITION BY q.node_id ORDER BY q.seq)
) p
JOIN log_nodes n ON n.id = p.node_id;
DROP TABLE log_spans;
