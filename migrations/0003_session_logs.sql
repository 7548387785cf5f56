-- Session logs: a tree of nodes per session, streamed text as appended chunks, and a full-text
-- index over the log text.
--
-- * log_nodes.n is an INTEGER PRIMARY KEY (rowid alias) only so that the FTS5 external-content
--   index has a rowid that VACUUM can never renumber; everything else addresses nodes by id
--   (UUIDv7, UNIQUE, the target of every foreign key).
-- * path is the node's materialised path of zero-padded sibling seqs ("00000000.00000003"), so
--   tree order (pre-order) is plain string order and "page in tree order" is one range scan of
--   log_nodes_session_id_path with keyset pagination on path.
-- * Streamed text never rewrites a row per delta: each delta is a log_chunks row (with its
--   offset from the node's start, for replay at the original pace). content holds the assembled
--   text once the node leaves 'streaming' (the writer and recovery do that in SQL); readers of a
--   streaming node concatenate content || chunks. For an 'action' node the chunks are the
--   streamed tool-call arguments and are assembled into tool_args instead.
-- * parent_id / cause_id use NO ACTION: nodes are only deleted a whole session at a time (the
--   sessions cascade or LogsRepository.deleteBySession), where every reference disappears in the
--   same statement. A cascade on parent_id would recurse once per tree level and hit SQLite's
--   trigger depth limit on deep trees. depth is capped well below that limit anyway.
-- * child_count is maintained by triggers so that no writer can forget it.
-- * log_fts is an external-content FTS5 index kept in sync by triggers; a row is indexed only
--   when it has some text, and the update/delete triggers use exactly the same predicate, since
--   an external-content 'delete' of values that were never indexed corrupts the index.

-- migrate:up
CREATE TABLE log_nodes (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) > 0),
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  parent_id TEXT REFERENCES log_nodes (id),
  cause_id TEXT REFERENCES log_nodes (id),
  seq INTEGER NOT NULL CHECK (seq >= 0 AND seq < 100000000),
  depth INTEGER NOT NULL CHECK (depth >= 0 AND depth <= 255),
  path TEXT NOT NULL CHECK (length(path) = 9 * depth + 8),
  kind TEXT NOT NULL CHECK (kind IN ('user_message', 'assistant_message', 'thought', 'action', 'observation', 'error', 'system')),
  role TEXT CHECK (role IS NULL OR role IN ('user', 'assistant', 'system', 'developer', 'tool', 'reasoning', 'activity')),
  status TEXT NOT NULL CHECK (status IN ('streaming', 'complete', 'error', 'interrupted', 'pending_approval', 'approved', 'denied', 'running')),
  content TEXT NOT NULL DEFAULT '',
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
  model TEXT,
  provider TEXT,
  tokens_in INTEGER NOT NULL DEFAULT 0 CHECK (tokens_in >= 0),
  tokens_out INTEGER NOT NULL DEFAULT 0 CHECK (tokens_out >= 0),
  tokens_reasoning INTEGER NOT NULL DEFAULT 0 CHECK (tokens_reasoning >= 0),
  cost_usd REAL NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  started_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', started_at) = started_at),
  ended_at TEXT CHECK (ended_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', ended_at) = ended_at),
  tool_name TEXT,
  tool_args TEXT CHECK (tool_args IS NULL OR json_valid(tool_args)),
  tool_result TEXT CHECK (tool_result IS NULL OR json_valid(tool_result)),
  duration_ms INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
  child_count INTEGER NOT NULL DEFAULT 0 CHECK (child_count >= 0),
  CHECK ((parent_id IS NULL) = (depth = 0)),
  CHECK (parent_id IS NULL OR parent_id <> id),
  CHECK (cause_id IS NULL OR cause_id <> id),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
) STRICT;

-- Tree order, keyset paging, session foreign key, count.
CREATE UNIQUE INDEX log_nodes_session_id_path ON log_nodes (session_id, path);
-- Children of a node in order; parent foreign key. NULL parents are not unique here...
CREATE UNIQUE INDEX log_nodes_parent_id_seq ON log_nodes (parent_id, seq);
-- ...so roots get their own index: children({ sessionId, parentId: null }) and root seq uniqueness.
CREATE UNIQUE INDEX log_nodes_roots ON log_nodes (session_id, seq) WHERE parent_id IS NULL;
-- Causal parent foreign key (most nodes have none).
CREATE INDEX log_nodes_cause_id ON log_nodes (cause_id) WHERE cause_id IS NOT NULL;
-- latest(sessionId, n).
CREATE INDEX log_nodes_session_id_started_at ON log_nodes (session_id, started_at);
-- The recovery sweep at open touches only nodes still open; the partial index stays tiny.
CREATE INDEX log_nodes_open ON log_nodes (status) WHERE status IN ('streaming', 'running', 'pending_approval', 'approved');

CREATE TABLE log_chunks (
  node_id TEXT NOT NULL REFERENCES log_nodes (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq >= 0),
  text TEXT NOT NULL,
  at_ms INTEGER NOT NULL CHECK (at_ms >= 0),
  PRIMARY KEY (node_id, seq)
) STRICT, WITHOUT ROWID;

CREATE VIRTUAL TABLE log_fts USING fts5 (
  content, tool_name, tool_args, tool_result,
  content = 'log_nodes', content_rowid = 'n',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER log_nodes_fts_insert
AFTER INSERT ON log_nodes
WHEN NEW.content <> '' OR NEW.tool_name IS NOT NULL OR NEW.tool_args IS NOT NULL OR NEW.tool_result IS NOT NULL
BEGIN
  INSERT INTO log_fts (rowid, content, tool_name, tool_args, tool_result)
  VALUES (NEW.n, NEW.content, NEW.tool_name, NEW.tool_args, NEW.tool_result);
END;

CREATE TRIGGER log_nodes_fts_update
AFTER UPDATE OF content, tool_name, tool_args, tool_result ON log_nodes
WHEN OLD.content IS NOT NEW.content OR OLD.tool_name IS NOT NEW.tool_name
  OR OLD.tool_args IS NOT NEW.tool_args OR OLD.tool_result IS NOT NEW.tool_result
BEGIN
  INSERT INTO log_fts (log_fts, rowid, content, tool_name, tool_args, tool_result)
  SELECT 'delete', OLD.n, OLD.content, OLD.tool_name, OLD.tool_args, OLD.tool_result
  WHERE OLD.content <> '' OR OLD.tool_name IS NOT NULL OR OLD.tool_args IS NOT NULL OR OLD.tool_result IS NOT NULL;
  INSERT INTO log_fts (rowid, content, tool_name, tool_args, tool_result)
  SELECT NEW.n, NEW.content, NEW.tool_name, NEW.tool_args, NEW.tool_result
  WHERE NEW.content <> '' OR NEW.tool_name IS NOT NULL OR NEW.tool_args IS NOT NULL OR NEW.tool_result IS NOT NULL;
END;

CREATE TRIGGER log_nodes_fts_delete
AFTER DELETE ON log_nodes
WHEN OLD.content <> '' OR OLD.tool_name IS NOT NULL OR OLD.tool_args IS NOT NULL OR OLD.tool_result IS NOT NULL
BEGIN
  INSERT INTO log_fts (log_fts, rowid, content, tool_name, tool_args, tool_result)
  VALUES ('delete', OLD.n, OLD.content, OLD.tool_name, OLD.tool_args, OLD.tool_result);
END;

CREATE TRIGGER log_nodes_child_count_insert
AFTER INSERT ON log_nodes
WHEN NEW.parent_id IS NOT NULL
BEGIN
  UPDATE log_nodes SET child_count = child_count + 1 WHERE id = NEW.parent_id;
END;

CREATE TRIGGER log_nodes_child_count_delete
AFTER DELETE ON log_nodes
WHEN OLD.parent_id IS NOT NULL
BEGIN
  UPDATE log_nodes SET child_count = child_count - 1 WHERE id = OLD.parent_id;
END;

-- A node's place must agree with its parent's (same session, depth + 1, path extends the
-- parent's), so a bad import cannot build a tree whose path order lies. It also makes "parent
-- first" a rule, which the child_count trigger relies on.
CREATE TRIGGER log_nodes_place_check
BEFORE INSERT ON log_nodes
BEGIN
  SELECT RAISE(ABORT, 'log node place does not match its parent')
  WHERE CASE
    WHEN NEW.parent_id IS NULL THEN NEW.path IS NOT printf('%08d', NEW.seq)
    ELSE NOT EXISTS (
      SELECT 1 FROM log_nodes p
      WHERE p.id = NEW.parent_id AND p.session_id = NEW.session_id AND p.depth + 1 = NEW.depth
        AND NEW.path = p.path || '.' || printf('%08d', NEW.seq))
  END;
END;

-- A node never moves: its place in the tree (and so its path) is fixed at insert.
CREATE TRIGGER log_nodes_place_immutable
BEFORE UPDATE OF session_id, parent_id, seq, depth, path ON log_nodes
WHEN NEW.session_id IS NOT OLD.session_id OR NEW.parent_id IS NOT OLD.parent_id
  OR NEW.seq IS NOT OLD.seq OR NEW.depth IS NOT OLD.depth OR NEW.path IS NOT OLD.path
BEGIN
  SELECT RAISE(ABORT, 'a log node cannot move within the tree');
END;

-- migrate:down
DROP TRIGGER log_nodes_place_immutable;
DROP TRIGGER log_nodes_place_check;
DROP TRIGGER log_nodes_child_count_delete;
DROP TRIGGER log_nodes_child_count_insert;
DROP TRIGGER log_nodes_fts_delete;
DROP TRIGGER log_nodes_fts_update;
DROP TRIGGER log_nodes_fts_insert;
DROP TABLE log_fts;
DROP TABLE log_chunks;
DROP INDEX log_nodes_open;
DROP INDEX log_nodes_session_id_started_at;
DROP INDEX log_nodes_cause_id;
DROP INDEX log_nodes_roots;
DROP INDEX log_nodes_parent_id_seq;
DROP INDEX log_nodes_session_id_path;
DROP TABLE log_nodes;
