-- Agents and their immutable config versions.
--
-- The agents row holds the CURRENT config (denormalised so lists can search, filter and sort
-- with indexes); every saved change also writes an immutable agent_versions row holding a full
-- AgentConfig snapshot. Sessions pin a version row, so editing an agent never changes an old
-- session (peers' top complaint: agent edits silently leaking into running/old sessions).
--
-- Integrity that no caller can bypass:
--   * agents(id, version) -> agent_versions(agent_id, version) is a DEFERRED foreign key, so the
--     agent's current version number always has its snapshot row by the end of the transaction;
--   * a config change on agents must bump version by exactly one (trigger);
--   * agent_versions rows can never be updated, and only deleted by the purge cascade of their
--     agent (the ON DELETE CASCADE action runs after the parent row is gone, so the guard sees
--     no agent and lets it through).
-- Timestamps are ISO-8601 UTC as produced by Date.prototype.toISOString(); the CHECK makes
-- sure of it, which also keeps lexicographic order equal to time order for keyset paging.

-- migrate:up
CREATE TABLE agents (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  name TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
  description TEXT NOT NULL DEFAULT '',
  avatar TEXT,
  type TEXT NOT NULL DEFAULT 'custom' CHECK (length(type) > 0),
  instructions TEXT NOT NULL DEFAULT '',
  model TEXT,
  plan_model TEXT,
  small_model TEXT,
  builtin_tools TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(builtin_tools) AND json_type(builtin_tools) = 'array'),
  mcp_servers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(mcp_servers) AND json_type(mcp_servers) = 'array'),
  knowledge TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(knowledge) AND json_type(knowledge) = 'array'),
  accessible_paths TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(accessible_paths) AND json_type(accessible_paths) = 'array'),
  permission_mode TEXT NOT NULL DEFAULT 'ask' CHECK (permission_mode IN ('readOnly', 'ask', 'acceptEdits', 'bypassPermissions')),
  max_steps INTEGER NOT NULL DEFAULT 50 CHECK (max_steps >= 1),
  settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings) AND json_type(settings) = 'object'),
  schedule TEXT CHECK (schedule IS NULL OR length(trim(schedule)) > 0),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at),
  updated_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) = updated_at),
  deleted_at TEXT CHECK (deleted_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', deleted_at) = deleted_at),
  FOREIGN KEY (id, version) REFERENCES agent_versions (agent_id, version) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE agent_versions (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  version INTEGER NOT NULL CHECK (version >= 1),
  config TEXT NOT NULL CHECK (json_valid(config) AND json_type(config) = 'object'),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at)
) STRICT;

-- Keyset pagination indexes: (sort key, id) so equal sort keys still have a total order.
CREATE INDEX agents_name_id ON agents (name, id);
CREATE INDEX agents_created_at_id ON agents (created_at, id);
CREATE INDEX agents_updated_at_id ON agents (updated_at, id);
-- count() and the trash view filter on deleted_at alone.
CREATE INDEX agents_deleted_at ON agents (deleted_at);

-- Serves the agent_id foreign key, versions(agentId) ordered by version, and is the parent key
-- of the deferred agents(id, version) reference.
CREATE UNIQUE INDEX agent_versions_agent_id_version ON agent_versions (agent_id, version);
-- Parent key for sessions' composite (agent_id, agent_version_id) reference, which guarantees
-- that a session's pinned version belongs to the session's agent.
CREATE UNIQUE INDEX agent_versions_agent_id_id ON agent_versions (agent_id, id);

CREATE TRIGGER agent_versions_no_update
BEFORE UPDATE ON agent_versions
BEGIN
  SELECT RAISE(ABORT, 'agent_versions rows are immutable');
END;

CREATE TRIGGER agent_versions_no_delete
BEFORE DELETE ON agent_versions
WHEN EXISTS (SELECT 1 FROM agents WHERE id = OLD.agent_id)
BEGIN
  SELECT RAISE(ABORT, 'agent_versions rows are deleted only by purging their agent');
END;

CREATE TRIGGER agents_version_step
BEFORE UPDATE OF version ON agents
WHEN NEW.version <> OLD.version AND NEW.version <> OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'agent version must grow by exactly one');
END;

CREATE TRIGGER agents_config_change_needs_version
BEFORE UPDATE ON agents
WHEN NEW.version = OLD.version AND (
  NEW.name IS NOT OLD.name OR
  NEW.description IS NOT OLD.description OR
  NEW.avatar IS NOT OLD.avatar OR
  NEW.type IS NOT OLD.type OR
  NEW.instructions IS NOT OLD.instructions OR
  NEW.model IS NOT OLD.model OR
  NEW.plan_model IS NOT OLD.plan_model OR
  NEW.small_model IS NOT OLD.small_model OR
  NEW.builtin_tools IS NOT OLD.builtin_tools OR
  NEW.mcp_servers IS NOT OLD.mcp_servers OR
  NEW.knowledge IS NOT OLD.knowledge OR
  NEW.accessible_paths IS NOT OLD.accessible_paths OR
  NEW.permission_mode IS NOT OLD.permission_mode OR
  NEW.max_steps IS NOT OLD.max_steps OR
  NEW.settings IS NOT OLD.settings OR
  NEW.schedule IS NOT OLD.schedule
)
BEGIN
  SELECT RAISE(ABORT, 'an agent config change must be saved as a new version');
END;

-- migrate:down
DROP TRIGGER agents_config_change_needs_version;
DROP TRIGGER agents_version_step;
DROP TRIGGER agent_versions_no_delete;
DROP TRIGGER agent_versions_no_update;
DROP INDEX agent_versions_agent_id_id;
DROP INDEX agent_versions_agent_id_version;
DROP INDEX agents_deleted_at;
DROP INDEX agents_updated_at_id;
DROP INDEX agents_created_at_id;
DROP INDEX agents_name_id;
DROP TABLE agent_versions;
DROP TABLE agents;
