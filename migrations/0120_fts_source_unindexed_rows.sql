-- The search index's content view lists only the rows the index holds.
--
-- 0040's view (log_fts_source) listed every log node, but the triggers index only nodes that
-- have some text (content, tool name, arguments or result). FTS5 reads an external-content
-- table as the truth: its integrity check (the storage deep check) counts and tokenizes every
-- row of the view, so one text-less node — a step that only calls tools, an imported entry with
-- no text — made it report a damaged index that was not, and the app asked for a repair after
-- every import of such a session. With the view filtered by the triggers' own predicate, view
-- and index agree; the indexed rows read exactly as before, so nothing needs re-indexing.

-- migrate:up
DROP VIEW log_fts_source;
CREATE VIEW log_fts_source AS
SELECT n, content, tool_name, tool_args, tool_result, hex(session_id) AS session_key FROM log_nodes
WHERE content <> '' OR tool_name IS NOT NULL OR tool_args IS NOT NULL OR tool_result IS NOT NULL;

-- migrate:down
DROP VIEW log_fts_source;
CREATE VIEW log_fts_source AS
SELECT n, content, tool_name, tool_args, tool_result, hex(session_id) AS session_key FROM log_nodes;
