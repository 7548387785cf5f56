-- A dictionary of the full-text index's terms, so a search word (a prefix) can be expanded to
-- the exact terms it stands for before FTS5 runs.
--
-- FTS5 answers a prefix term ("function"*) by reading and merging the doclist of every term with
-- that prefix in the whole index before it returns a first row, so even "the newest 50 hits" or
-- "this session's hits" cost about the word's matches in the whole history (seconds on 3 M
-- nodes). An OR of exact terms is different: FTS5 iterates each term's doclist lazily and seeks
-- in it, so a page costs about the page. Listing the terms through fts5vocab reads their
-- doclists too, hence a table of its own:
--
-- * log_terms: every term of the text columns (session_key's hex terms are left out). Terms are
--   only ever added: a term that no longer occurs just expands to nothing.
-- * log_terms_pending: nodes whose text was written since their terms were last added (fed by
--   the triggers below, emptied by search-terms.ts in batches); the dictionary is complete only
--   when it is empty, so searches use the plain prefix query until then.
-- * log_terms_state: an existing history's terms are listed by a background job (resumable: it
--   walks log_fts_vocab in term order and records where it is); a new, empty database is built.

-- migrate:up
CREATE TABLE log_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE TABLE log_terms_pending (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);

CREATE TABLE log_terms_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cursor TEXT NOT NULL,
  built INTEGER NOT NULL CHECK (built IN (0, 1))
);

INSERT INTO log_terms_state (id, cursor, built) SELECT 1, '', NOT EXISTS (SELECT 1 FROM log_nodes);

CREATE VIRTUAL TABLE log_fts_vocab USING fts5vocab (log_fts, col);

CREATE TRIGGER log_nodes_terms_insert
AFTER INSERT ON log_nodes
WHEN NEW.content <> '' OR NEW.tool_name IS NOT NULL OR NEW.tool_args IS NOT NULL OR NEW.tool_result IS NOT NULL
BEGIN
  INSERT INTO log_terms_pending (n) VALUES (NEW.n);
END;

CREATE TRIGGER log_nodes_terms_update
AFTER UPDATE OF content, tool_name, tool_args, tool_result ON log_nodes
WHEN (OLD.content IS NOT NEW.content OR OLD.tool_name IS NOT NEW.tool_name
  OR OLD.tool_args IS NOT NEW.tool_args OR OLD.tool_result IS NOT NEW.tool_result)
  AND (NEW.content <> '' OR NEW.tool_name IS NOT NULL OR NEW.tool_args IS NOT NULL OR NEW.tool_result IS NOT NULL)
BEGIN
  INSERT INTO log_terms_pending (n) VALUES (NEW.n);
END;

-- migrate:down
DROP TRIGGER log_nodes_terms_update;
DROP TRIGGER log_nodes_terms_insert;
DROP TABLE log_fts_vocab;
DROP TABLE log_terms_state;
DROP TABLE log_terms_pending;
DROP TABLE log_terms;
