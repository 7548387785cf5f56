-- A distinct `budget_reached` session status: a run that a budget stopped (the next model call's
-- worst case did not fit in what was left) ends there instead of in 'stopped' with a reason, so
-- lists, filters, badges, notifications, exports and the run history can tell it apart. It is
-- resumable like 'stopped' (raise the budget, then resume or send a message).
--
-- * SQLite cannot change a CHECK in place: the table is rebuilt in sqlite.org's order (new table,
--   copy, drop, rename; foreign keys are off around the migration, so child rows of session_logs,
--   tool_rules, budgets, schedule_runs and session_sources are untouched and still point at
--   sessions by name), then every index of 0002 and 0041 and both triggers are made again.
-- * The transition trigger is 0002's plus running/waiting_for_user_input -> budget_reached and
--   budget_reached -> running (the same table as SESSION_TRANSITIONS in src/shared/domain.ts).
-- * Existing sessions that a budget stopped (status 'stopped', error starting "Budget reached")
--   move to the new status. Down moves them back to 'stopped'; their error keeps the reason.

-- migrate:up
CREATE TABLE new_sessions (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE RESTRICT,
  agent_version_id TEXT NOT NULL,
  parent_session_id TEXT REFERENCES sessions (id) ON DELETE SET NULL CHECK (parent_session_id IS NULL OR parent_session_id <> id),
  name TEXT NOT NULL COLLATE NOCASE,
  goal TEXT,
  status TEXT NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'running', 'waiting_for_user_input', 'completed', 'failed', 'stopped', 'interrupted', 'budget_reached')),
  overrides TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(overrides) AND json_type(overrides) = 'object'),
  external_id TEXT CHECK (external_id IS NULL OR length(external_id) > 0),
  started_at TEXT CHECK (started_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', started_at) = started_at),
  ended_at TEXT CHECK (ended_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', ended_at) = ended_at),
  result TEXT,
  error TEXT,
  tokens_in INTEGER NOT NULL DEFAULT 0 CHECK (tokens_in >= 0),
  tokens_out INTEGER NOT NULL DEFAULT 0 CHECK (tokens_out >= 0),
  tokens_reasoning INTEGER NOT NULL DEFAULT 0 CHECK (tokens_reasoning >= 0),
  tokens_cached INTEGER NOT NULL DEFAULT 0 CHECK (tokens_cached >= 0),
  cost_usd REAL NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  archived_at TEXT CHECK (archived_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', archived_at) = archived_at),
  deleted_at TEXT CHECK (deleted_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', deleted_at) = deleted_at),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at),
  updated_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) = updated_at),
  CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at),
  FOREIGN KEY (agent_id, agent_version_id) REFERENCES agent_versions (agent_id, id) ON DELETE RESTRICT
) STRICT;

INSERT INTO new_sessions (id, agent_id, agent_version_id, parent_session_id, name, goal, status, overrides, external_id, started_at, ended_at, result, error, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost_usd, archived_at, deleted_at, created_at, updated_at)
SELECT id, agent_id, agent_version_id, parent_session_id, name, goal, CASE WHEN status = 'stopped' AND error LIKE 'Budget reached%' THEN 'budget_reached' ELSE status END AS status, overrides, external_id, started_at, ended_at, result, error, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost_usd, archived_at, deleted_at, created_at, updated_at
FROM sessions;

DROP TABLE sessions;
ALTER TABLE new_sessions RENAME TO sessions;

-- Foreign keys: (agent_id, agent_version_id) serves both agent references.
CREATE INDEX sessions_agent_id_version_id ON sessions (agent_id, agent_version_id);
CREATE INDEX sessions_parent_session_id ON sessions (parent_session_id);
-- Keyset pagination, per agent and across agents: (sort key, id).
CREATE INDEX sessions_agent_id_created_at_id ON sessions (agent_id, created_at, id);
CREATE INDEX sessions_agent_id_updated_at_id ON sessions (agent_id, updated_at, id);
CREATE INDEX sessions_agent_id_name_id ON sessions (agent_id, name, id);
CREATE INDEX sessions_created_at_id ON sessions (created_at, id);
CREATE INDEX sessions_updated_at_id ON sessions (updated_at, id);
CREATE INDEX sessions_name_id ON sessions (name, id);
-- Status filters and the interrupted-at-open sweep.
CREATE INDEX sessions_status ON sessions (status);
-- count() and the trash / archive views across agents.
CREATE INDEX sessions_deleted_at_archived_at ON sessions (deleted_at, archived_at);
CREATE UNIQUE INDEX sessions_external_id ON sessions (external_id) WHERE external_id IS NOT NULL;
-- From 0041: live / trashed counts per agent, and the usage roll-up.
CREATE INDEX sessions_agent_id_deleted_at ON sessions (agent_id, deleted_at);
CREATE INDEX sessions_usage ON sessions (created_at, agent_id, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost_usd);

CREATE TRIGGER sessions_status_transition
BEFORE UPDATE OF status ON sessions
WHEN NEW.status <> OLD.status AND (OLD.status || '>' || NEW.status) NOT IN (
  'idle>running', 'idle>completed', 'idle>failed', 'idle>stopped',
  'running>waiting_for_user_input', 'running>completed', 'running>failed', 'running>stopped', 'running>interrupted', 'running>idle', 'running>budget_reached',
  'waiting_for_user_input>running', 'waiting_for_user_input>completed', 'waiting_for_user_input>failed', 'waiting_for_user_input>stopped', 'waiting_for_user_input>interrupted', 'waiting_for_user_input>budget_reached',
  'completed>running',
  'failed>running',
  'stopped>running',
  'interrupted>running', 'interrupted>stopped', 'interrupted>failed',
  'budget_reached>running'
)
BEGIN
  SELECT RAISE(ABORT, 'illegal session status transition');
END;

CREATE TRIGGER sessions_agent_id_immutable
BEFORE UPDATE OF agent_id ON sessions
WHEN NEW.agent_id IS NOT OLD.agent_id
BEGIN
  SELECT RAISE(ABORT, 'a session cannot move to another agent');
END;

-- migrate:down
CREATE TABLE new_sessions (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE RESTRICT,
  agent_version_id TEXT NOT NULL,
  parent_session_id TEXT REFERENCES sessions (id) ON DELETE SET NULL CHECK (parent_session_id IS NULL OR parent_session_id <> id),
  name TEXT NOT NULL COLLATE NOCASE,
  goal TEXT,
  status TEXT NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'running', 'waiting_for_user_input', 'completed', 'failed', 'stopped', 'interrupted')),
  overrides TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(overrides) AND json_type(overrides) = 'object'),
  external_id TEXT CHECK (external_id IS NULL OR length(external_id) > 0),
  started_at TEXT CHECK (started_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', started_at) = started_at),
  ended_at TEXT CHECK (ended_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', ended_at) = ended_at),
  result TEXT,
  error TEXT,
  tokens_in INTEGER NOT NULL DEFAULT 0 CHECK (tokens_in >= 0),
  tokens_out INTEGER NOT NULL DEFAULT 0 CHECK (tokens_out >= 0),
  tokens_reasoning INTEGER NOT NULL DEFAULT 0 CHECK (tokens_reasoning >= 0),
  tokens_cached INTEGER NOT NULL DEFAULT 0 CHECK (tokens_cached >= 0),
  cost_usd REAL NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  archived_at TEXT CHECK (archived_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', archived_at) = archived_at),
  deleted_at TEXT CHECK (deleted_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', deleted_at) = deleted_at),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at),
  updated_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) = updated_at),
  CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at),
  FOREIGN KEY (agent_id, agent_version_id) REFERENCES agent_versions (agent_id, id) ON DELETE RESTRICT
) STRICT;

INSERT INTO new_sessions (id, agent_id, agent_version_id, parent_session_id, name, goal, status, overrides, external_id, started_at, ended_at, result, error, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost_usd, archived_at, deleted_at, created_at, updated_at)
SELECT id, agent_id, agent_version_id, parent_session_id, name, goal, CASE WHEN status = 'budget_reached' THEN 'stopped' ELSE status END AS status, overrides, external_id, started_at, ended_at, result, error, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost_usd, archived_at, deleted_at, created_at, updated_at
FROM sessions;

DROP TABLE sessions;
ALTER TABLE new_sessions RENAME TO sessions;

-- Foreign keys: (agent_id, agent_version_id) serves both agent references.
CREATE INDEX sessions_agent_id_version_id ON sessions (agent_id, agent_version_id);
CREATE INDEX sessions_parent_session_id ON sessions (parent_session_id);
-- Keyset pagination, per agent and across agents: (sort key, id).
CREATE INDEX sessions_agent_id_created_at_id ON sessions (agent_id, created_at, id);
CREATE INDEX sessions_agent_id_updated_at_id ON sessions (agent_id, updated_at, id);
CREATE INDEX sessions_agent_id_name_id ON sessions (agent_id, name, id);
CREATE INDEX sessions_created_at_id ON sessions (created_at, id);
CREATE INDEX sessions_updated_at_id ON sessions (updated_at, id);
CREATE INDEX sessions_name_id ON sessions (name, id);
-- Status filters and the interrupted-at-open sweep.
CREATE INDEX sessions_status ON sessions (status);
-- count() and the trash / archive views across agents.
CREATE INDEX sessions_deleted_at_archived_at ON sessions (deleted_at, archived_at);
CREATE UNIQUE INDEX sessions_external_id ON sessions (external_id) WHERE external_id IS NOT NULL;
-- From 0041: live / trashed counts per agent, and the usage roll-up.
CREATE INDEX sessions_agent_id_deleted_at ON sessions (agent_id, deleted_at);
CREATE INDEX sessions_usage ON sessions (created_at, agent_id, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost_usd);

CREATE TRIGGER sessions_status_transition
BEFORE UPDATE OF status ON sessions
WHEN NEW.status <> OLD.status AND (OLD.status || '>' || NEW.status) NOT IN (
  'idle>running', 'idle>completed', 'idle>failed', 'idle>stopped',
  'running>waiting_for_user_input', 'running>completed', 'running>failed', 'running>stopped', 'running>interrupted', 'running>idle',
  'waiting_for_user_input>running', 'waiting_for_user_input>completed', 'waiting_for_user_input>failed', 'waiting_for_user_input>stopped', 'waiting_for_user_input>interrupted',
  'completed>running',
  'failed>running',
  'stopped>running',
  'interrupted>running', 'interrupted>stopped', 'interrupted>failed'
)
BEGIN
  SELECT RAISE(ABORT, 'illegal session status transition');
END;

CREATE TRIGGER sessions_agent_id_immutable
BEFORE UPDATE OF agent_id ON sessions
WHEN NEW.agent_id IS NOT OLD.agent_id
BEGIN
  SELECT RAISE(ABORT, 'a session cannot move to another agent');
END;
