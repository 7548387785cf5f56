-- Streamed text's timing packed. 0030 kept a finished node's deltas as one log_spans row whose
-- timing was a JSON array [bytes0, dt0, bytes1, dt1, ...] in a WITHOUT ROWID table keyed by the
-- 36-character node id. On the bench's stream that was ~9,300 bytes per 1,000 events, about half of
-- it unused space: a WITHOUT ROWID row over ~1 KB spills to overflow pages, and most spans are
-- longer than that. log_timings holds the same numbers:
--
-- * keyed by the node's integer rowid log_nodes.n (declared INTEGER PRIMARY KEY there, so VACUUM
--   never renumbers it), in a rowid table, whose rows stay in their leaf page up to ~4 KB;
-- * timing is a BLOB of unsigned LEB128 varints, two per delta: its length in UTF-8 bytes, then
--   its at_ms minus the previous delta's (the first: minus 0) — 2 bytes for a delta of < 128
--   bytes arriving < 128 ms after the one before. src/main/logs/spans.ts encodes and decodes it;
-- * bytes = the sum of the lengths (what the self-check compares with the node's text), so
--   nothing but the reader has to decode the blob.
--
-- chunk k's text is still the bytes [base + sum(bytes_0..k-1), +bytes_k) of the node's source
-- (content, or tool_args for an 'action' node) and its at_ms sum(dt_0..k). Varints are unsigned:
-- a span whose times went back (possible in imported logs) or any number above 2^49 - 1 goes back
-- to plain log_chunks rows here, and the writer leaves such nodes' rows as they are, as for any
-- node it cannot fold exactly. The down section decodes the varints in SQL and rebuilds 0030's
-- table with the very same JSON.

-- migrate:up
CREATE TABLE log_timings (
  n INTEGER PRIMARY KEY REFERENCES log_nodes (n) ON DELETE CASCADE,
  base INTEGER NOT NULL CHECK (base >= 0),
  count INTEGER NOT NULL CHECK (count > 0),
  bytes INTEGER NOT NULL CHECK (bytes >= 0),
  timing BLOB NOT NULL CHECK (length(timing) >= 2 * count)
) STRICT;

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
    WHERE EXISTS (SELECT 1 FROM json_each(s.timing) x WHERE x.value < 0 OR x.value > 562949953421311)
    GROUP BY s.node_id, j.key / 2
  ) q
  WINDOW w AS (PARTITION BY q.node_id ORDER BY q.seq)
) p
JOIN log_nodes n ON n.id = p.node_id;

INSERT INTO log_timings (n, base, count, bytes, timing)
SELECT n.n, s.base, s.count,
  (SELECT sum(j.value) FROM json_each(s.timing) j WHERE j.key % 2 = 0),
  unhex((SELECT group_concat(CASE
      WHEN j.value < 128 THEN printf('%02X', j.value >> 0)
      WHEN j.value < 16384 THEN printf('%02X%02X', 128 | ((j.value >> 0) & 127), j.value >> 7)
      WHEN j.value < 2097152 THEN printf('%02X%02X%02X', 128 | ((j.value >> 0) & 127), 128 | ((j.value >> 7) & 127), j.value >> 14)
      WHEN j.value < 268435456 THEN printf('%02X%02X%02X%02X', 128 | ((j.value >> 0) & 127), 128 | ((j.value >> 7) & 127), 128 | ((j.value >> 14) & 127), j.value >> 21)
      WHEN j.value < 34359738368 THEN printf('%02X%02X%02X%02X%02X', 128 | ((j.value >> 0) & 127), 128 | ((j.value >> 7) & 127), 128 | ((j.value >> 14) & 127), 128 | ((j.value >> 21) & 127), j.value >> 28)
      WHEN j.value < 4398046511104 THEN printf('%02X%02X%02X%02X%02X%02X', 128 | ((j.value >> 0) & 127), 128 | ((j.value >> 7) & 127), 128 | ((j.value >> 14) & 127), 128 | ((j.value >> 21) & 127), 128 | ((j.value >> 28) & 127), j.value >> 35)
      ELSE printf('%02X%02X%02X%02X%02X%02X%02X', 128 | ((j.value >> 0) & 127), 128 | ((j.value >> 7) & 127), 128 | ((j.value >> 14) & 127), 128 | ((j.value >> 21) & 127), 128 | ((j.value >> 28) & 127), 128 | ((j.value >> 35) & 127), j.value >> 42)
    END, '' ORDER BY j.key) FROM json_each(s.timing) j))
FROM log_spans s JOIN log_nodes n ON n.id = s.node_id
WHERE NOT EXISTS (SELECT 1 FROM json_each(s.timing) x WHERE x.value < 0 OR x.value > 562949953421311);

DROP TABLE log_spans;

-- migrate:down
CREATE TABLE log_spans (
  node_id TEXT PRIMARY KEY NOT NULL REFERENCES log_nodes (id) ON DELETE CASCADE,
  base INTEGER NOT NULL CHECK (base >= 0),
  count INTEGER NOT NULL CHECK (count > 0),
  timing TEXT NOT NULL CHECK (json_valid(timing) AND json_array_length(timing) = 2 * count)
) STRICT, WITHOUT ROWID;

-- Varint k of a blob = its bytes after the k-th byte below 128; the byte at 1-based position pos
-- is instr() of it in the blob of all 256 byte values, minus 1.
INSERT INTO log_spans (node_id, base, count, timing)
SELECT n.id, t.base, t.count, '[' || v.list || ']'
FROM (
  SELECT d.n, group_concat(d.val, ',' ORDER BY d.k) AS list
  FROM (
    SELECT b.n, b.k, sum((b.byte & 127) << (7 * (b.pos - b.first))) AS val
    FROM (
      SELECT x.n, x.pos, x.byte, x.k, min(x.pos) OVER (PARTITION BY x.n, x.k) AS first
      FROM (
        SELECT y.n, y.pos, y.byte,
          coalesce(sum(y.byte < 128) OVER (PARTITION BY y.n ORDER BY y.pos ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS k
        FROM (
          WITH RECURSIVE p(n, pos) AS (
            SELECT n, 1 FROM log_timings
            UNION ALL
            SELECT p.n, p.pos + 1 FROM p JOIN log_timings t ON t.n = p.n WHERE p.pos < length(t.timing)
          )
          SELECT p.n, p.pos, instr(X'000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF', substr(t.timing, p.pos, 1)) - 1 AS byte
          FROM p JOIN log_timings t ON t.n = p.n
        ) y
      ) x
    ) b
    GROUP BY b.n, b.k
  ) d
  GROUP BY d.n
) v
JOIN log_timings t ON t.n = v.n
JOIN log_nodes n ON n.n = t.n;

DROP TABLE log_timings;
