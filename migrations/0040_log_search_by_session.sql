-- Search inside one session that does not grow with the whole history.
--
-- 0003's log_fts had no session column, so "search this session" had to find every match of the
-- words in every session and then keep the session's (or, as the planner preferred, walk the
-- session and re-run the whole MATCH for each of its nodes): 18.9 s for a common word in a
-- 100k-node session of a 3.2 M-node history. The index now carries each node's session as one
-- extra column, session_key (hex(session_id): one token whatever the id's characters), so a
-- session's matches are a MATCH on both the text columns and that column: FTS5 intersects the
-- word's doclist with the session's inside the index, and nothing outside the session is
-- joined, sorted or re-matched.
--
-- * The content of the external-content index is a view over log_nodes adding session_key, so
--   snippet() and highlight() read the node itself; content_rowid stays log_nodes.n.
-- * Queries must scope user words to the text columns ({content tool_name tool_args
--   tool_result}: …), or a word could match a session key.
-- * The triggers keep 0003's rule: a row is indexed only when it has some text, and the
--   update/delete triggers use exactly the same predicate, since an external-content 'delete'
--   of values that were never indexed corrupts the index. session_id never changes
--   (log_nodes_place_immutable), so OLD's key is the key that was indexed.
-- * Existing databases are re-indexed here, once, in the migration's transaction.

-- migrate:up
DROP TRIGGER log_nodes_fts_insert;
DROP TRIGGER log_nodes_fts_update;
DROP TRIGGER log_nodes_fts_delete;
DROP TABLE log_fts;

CREATE VIEW log_fts_source AS
SELECT n, content, tool_name, tool_args, tool_result, hex(session_id) AS session_key FROM log_nodes;

CREATE VIRTUAL TABLE log_fts USING fts5 (
  content, tool_name, tool_args, tool_result, session_key,
  content = 'log_fts_source', content_rowid = 'n',
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO log_fts (rowid, content, tool_name, tool_args, tool_result, session_key)
SELECT n, content, tool_name, tool_args, tool_result, hex(session_id) FROM log_nodes
WHERE content <> '' OR tool_name IS NOT NULL OR tool_args IS NOT NULL OR tool_result IS NOT NULL;

CREATE TRIGGER log_nodes_fts_insert
AFTER INSERT ON log_nodes
WHEN NEW.content <> '' OR NEW.tool_name IS NOT NULL OR NEW.tool_args IS NOT NULL OR NEW.tool_result IS NOT NULL
BEGIN
  INSERT INTO log_fts (rowid, content, tool_name, tool_args, tool_result, session_key)
  VALUES (NEW.n, NEW.content, NEW.tool_name, NEW.tool_args, NEW.tool_result, hex(NEW.session_id));
END;

CREATE TRIGGER log_nodes_fts_update
AFTER UPDATE OF content, tool_name, tool_args, tool_result ON log_nodes
WHEN OLD.content IS NOT NEW.content OR OLD.tool_name IS NOT NEW.tool_name
  OR OLD.tool_args IS NOT NEW.tool_args OR OLD.tool_result IS NOT NEW.tool_result
BEGIN
  INSERT INTO log_fts (log_fts, rowid, content, tool_name, tool_args, tool_result, session_key)
  SELECT 'delete', OLD.n, OLD.content, OLD.tool_name, OLD.tool_args, OLD.tool_result, hex(OLD.session_id)
  WHERE OLD.content <> '' OR OLD.tool_name IS NOT NULL OR OLD.tool_args IS NOT NULL OR OLD.tool_result IS NOT NULL;
  INSERT INTO log_fts (rowid, content, tool_name, tool_args, tool_result, session_key)
  SELECT NEW.n, NEW.content, NEW.tool_name, NEW.tool_args, NEW.tool_result, hex(NEW.session_id)
  WHERE NEW.content <> '' OR NEW.tool_name IS NOT NULL OR NEW.tool_args IS NOT NULL OR NEW.tool_result IS NOT NULL;
END;

CREATE TRIGGER log_nodes_fts_delete
AFTER DELETE ON log_nodes
WHEN OLD.content <> '' OR OLD.tool_name IS NOT NULL OR OLD.tool_args IS NOT NULL OR OLD.tool_result IS NOT NULL
BEGIN
  INSERT INTO log_fts (log_fts, rowid, content, tool_name, tool_args, tool_result, session_key)
  VALUES ('delete', OLD.n, OLD.content, OLD.tool_name, OLD.tool_args, OLD.tool_result, hex(OLD.session_id));
END;

-- migrate:down
DROP TRIGGER log_nodes_fts_delete;
DROP TRIGGER log_nodes_fts_update;
DROP TRIGGER log_nodes_fts_insert;
DROP TABLE log_fts;
DROP VIEW log_fts_source;

CREATE VIRTUAL TABLE log_fts USING fts5 (
  content, tool_name, tool_args, tool_result,
  content = 'log_nodes', content_rowid = 'n',
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO log_fts (rowid, content, tool_name, tool_args, tool_result)
SELECT n, content, tool_name, tool_args, tool_result FROM log_nodes
WHERE content <> '' OR tool_name IS NOT NULL OR tool_args IS NOT NULL OR tool_result IS NOT NULL;

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
