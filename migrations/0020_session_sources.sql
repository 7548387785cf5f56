-- Where an imported session came from: the other tool's format, the file it was read from and
-- that tool's own id for the session. A table beside sessions rather than a column, so the
-- session row (and the paddock.session export format built from it) stays as it is; a session
-- Paddock ran itself simply has no row here.
--
-- * (format, source_id) lets an import notice that the same foreign session is already here.
-- * metadata holds what the source said about the session that Paddock has no column for
--   (working folder, tool version, git branch, …).

-- migrate:up
CREATE TABLE session_sources (
  session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  format TEXT NOT NULL CHECK (format IN ('paddock', 'claude-code', 'codex', 'ag-ui', 'otlp')),
  source_id TEXT,
  file TEXT,
  imported_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', imported_at) = imported_at),
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object')
) STRICT;

CREATE INDEX session_sources_format_source_id ON session_sources (format, source_id) WHERE source_id IS NOT NULL;

-- migrate:down
DROP INDEX session_sources_format_source_id;
DROP TABLE session_sources;
