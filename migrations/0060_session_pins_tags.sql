-- Pins and tags of sessions, each in a table beside sessions (like session_sources) so the
-- session row and the paddock.session export built from it keep their shape, and a session
-- with neither simply has no rows here.
--
-- * session_pins: one row per pinned session; pinned ones are listed first. The list asks for
--   "pinned of this agent" with a join from this small table, and for "not pinned" with a
--   primary-key probe per listed row, so neither reads more than the page it shows.
-- * session_tags: one row per (session, tag). The primary key answers "tags of this session"
--   (the list reads them with each row, in the same statement); session_tags_tag answers the
--   filter "sessions with this tag" and the tag suggestions, without reading sessions.
--   Tags are short lower-case words: the app validates the charset, the CHECK keeps the shape,
--   and a trigger keeps a session at 20 tags even when two windows add at once.

-- migrate:up
CREATE TABLE session_pins (
  session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  pinned_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', pinned_at) = pinned_at)
) STRICT;

CREATE TABLE session_tags (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  tag TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 40 AND tag = lower(trim(tag))),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at),
  PRIMARY KEY (session_id, tag)
) STRICT, WITHOUT ROWID;

CREATE INDEX session_tags_tag ON session_tags (tag, session_id);

CREATE TRIGGER session_tags_at_most_20 BEFORE INSERT ON session_tags
WHEN (SELECT count(*) FROM session_tags WHERE session_id = NEW.session_id) >= 20
BEGIN
  SELECT RAISE(ABORT, 'a session has at most 20 tags');
END;

-- migrate:down
DROP TRIGGER session_tags_at_most_20;
DROP INDEX session_tags_tag;
DROP TABLE session_tags;
DROP TABLE session_pins;
