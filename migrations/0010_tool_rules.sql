-- Approval rules with patterns: allow / ask / deny a tool, optionally only for some arguments (a
-- shell command glob, a file path glob, nothing for other tools), for one session, one agent or
-- every agent. Replaces approval_rules (0004), whose "always allow tool X" rows become allow rules
-- without a pattern.
--
-- * scope says which of agent_id / session_id is set (neither for a global rule); a rule goes
--   with its agent or session when that is purged.
-- * enabled = 0: listed and editable, never applied. Rules that arrive with an imported agent
--   start that way until the user turns them on.
-- * source records where a rule came from (typed by the user, an approval card's "always…"
--   button, an import, or the old table), so the editor can say so.

-- migrate:up
CREATE TABLE tool_rules (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  scope TEXT NOT NULL CHECK (scope IN ('global', 'agent', 'session')),
  agent_id TEXT REFERENCES agents (id) ON DELETE CASCADE,
  session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
  tool TEXT NOT NULL CHECK (length(tool) > 0 AND length(tool) <= 200),
  pattern TEXT CHECK (pattern IS NULL OR (length(pattern) > 0 AND length(pattern) <= 1000)),
  decision TEXT NOT NULL CHECK (decision IN ('allow', 'ask', 'deny')),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  source TEXT NOT NULL DEFAULT 'user' CHECK (source IN ('user', 'approval', 'import', 'migrated')),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at),
  updated_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) = updated_at),
  CHECK (
    (scope = 'global' AND agent_id IS NULL AND session_id IS NULL) OR
    (scope = 'agent' AND agent_id IS NOT NULL AND session_id IS NULL) OR
    (scope = 'session' AND session_id IS NOT NULL AND agent_id IS NULL)
  )
) STRICT;

CREATE INDEX tool_rules_agent_id ON tool_rules (agent_id) WHERE agent_id IS NOT NULL;
CREATE INDEX tool_rules_session_id ON tool_rules (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX tool_rules_global ON tool_rules (scope) WHERE scope = 'global';

INSERT INTO tool_rules (id, scope, agent_id, session_id, tool, pattern, decision, enabled, source, created_at, updated_at)
SELECT id, CASE WHEN session_id IS NULL THEN 'agent' ELSE 'session' END, agent_id, session_id, tool_name, NULL, 'allow', 1, 'migrated', created_at, created_at
FROM approval_rules;

DROP INDEX approval_rules_agent_tool;
DROP INDEX approval_rules_session_tool;
DROP TABLE approval_rules;

-- migrate:down
CREATE TABLE approval_rules (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
  agent_id TEXT REFERENCES agents (id) ON DELETE CASCADE,
  tool_name TEXT NOT NULL CHECK (length(tool_name) > 0),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at),
  CHECK ((session_id IS NULL) <> (agent_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX approval_rules_session_tool ON approval_rules (session_id, tool_name) WHERE session_id IS NOT NULL;
CREATE UNIQUE INDEX approval_rules_agent_tool ON approval_rules (agent_id, tool_name) WHERE agent_id IS NOT NULL;

-- Only what the old table could hold: enabled allow-everything rules of a session or an agent.
INSERT OR IGNORE INTO approval_rules (id, session_id, agent_id, tool_name, created_at)
SELECT id, session_id, agent_id, tool, created_at
FROM tool_rules
WHERE decision = 'allow' AND pattern IS NULL AND enabled = 1 AND scope IN ('agent', 'session');

DROP INDEX tool_rules_global;
DROP INDEX tool_rules_session_id;
DROP INDEX tool_rules_agent_id;
DROP TABLE tool_rules;
