-- The agent runtime's settings: model providers with their model price table, MCP servers, and
-- remembered "always allow" approvals.
--
-- * API keys are NOT stored here: providers.has_key only records that the secret store (a 0600
--   key file or Electron safeStorage, keyed by the provider id) holds one.
-- * provider_models is the editable price table: US dollars per million tokens for input,
--   output, cache reads and reasoning (NULL cached/reasoning fall back to input/output), plus the
--   model's context window for "used / limit" figures.
-- * Pending tool calls need no table: the action log node itself is the pending call (status
--   'pending_approval', tool_name, tool_args, metadata.toolCallId), which survives a restart.
-- * approval_rules: "always allow tool X" for one session or one agent; exactly one target, and
--   the rule goes with its session or agent when that is purged.

-- migrate:up
CREATE TABLE providers (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
  kind TEXT NOT NULL CHECK (kind IN ('openai', 'anthropic', 'openai-compatible')),
  base_url TEXT CHECK (base_url IS NULL OR base_url LIKE 'http://%' OR base_url LIKE 'https://%'),
  default_model TEXT CHECK (default_model IS NULL OR length(default_model) > 0),
  has_key INTEGER NOT NULL DEFAULT 0 CHECK (has_key IN (0, 1)),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at),
  updated_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) = updated_at),
  CHECK (kind <> 'openai-compatible' OR base_url IS NOT NULL)
) STRICT;

CREATE TABLE provider_models (
  provider_id TEXT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  model_id TEXT NOT NULL CHECK (length(model_id) > 0),
  position INTEGER NOT NULL CHECK (position >= 0),
  context_window INTEGER CHECK (context_window IS NULL OR context_window > 0),
  price_input REAL CHECK (price_input IS NULL OR price_input >= 0),
  price_output REAL CHECK (price_output IS NULL OR price_output >= 0),
  price_cached REAL CHECK (price_cached IS NULL OR price_cached >= 0),
  price_reasoning REAL CHECK (price_reasoning IS NULL OR price_reasoning >= 0),
  CHECK ((price_input IS NULL) = (price_output IS NULL)),
  PRIMARY KEY (provider_id, model_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE mcp_servers (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
  spec TEXT NOT NULL CHECK (json_valid(spec) AND json_type(spec) = 'object'),
  read_only_tools TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(read_only_tools) AND json_type(read_only_tools) = 'array'),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at),
  updated_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) = updated_at)
) STRICT;

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

-- migrate:down
DROP INDEX approval_rules_agent_tool;
DROP INDEX approval_rules_session_tool;
DROP TABLE approval_rules;
DROP TABLE mcp_servers;
DROP TABLE provider_models;
DROP TABLE providers;
