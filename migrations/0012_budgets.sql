-- Budgets and the usage ledger they are checked against.
--
-- * budgets: a cap in tokens and/or US dollars for every agent together (global, per calendar
--   month), one agent (per calendar month), one session (its whole life) or each scheduled run
--   of one agent. At most one budget per scope and target.
-- * budget_usage: one row per model call. Before a call its worst case is written as
--   'reserved' in the same transaction that checked it against what is left, so two runs (or
--   two Paddocks) cannot both spend the last of a cap; after the call the row becomes what the
--   provider reported ('actual') or, when it reported nothing, an estimate ('estimated'). A
--   reservation left by a process that died stays counted at its worst case.
-- * Existing sessions' totals are carried over as one row each, so this month's spend is right
--   from the start.

-- migrate:up
CREATE TABLE budgets (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  scope TEXT NOT NULL CHECK (scope IN ('global', 'agent', 'session', 'schedule')),
  agent_id TEXT REFERENCES agents (id) ON DELETE CASCADE,
  session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
  max_tokens INTEGER CHECK (max_tokens IS NULL OR max_tokens > 0),
  max_usd REAL CHECK (max_usd IS NULL OR max_usd > 0),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at),
  updated_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) = updated_at),
  CHECK (max_tokens IS NOT NULL OR max_usd IS NOT NULL),
  CHECK (
    (scope = 'global' AND agent_id IS NULL AND session_id IS NULL) OR
    (scope IN ('agent', 'schedule') AND agent_id IS NOT NULL AND session_id IS NULL) OR
    (scope = 'session' AND session_id IS NOT NULL AND agent_id IS NULL)
  )
) STRICT;

CREATE UNIQUE INDEX budgets_scope_target ON budgets (scope, ifnull(agent_id, ''), ifnull(session_id, ''));

CREATE TABLE budget_usage (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  session_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', at) = at),
  tokens INTEGER NOT NULL CHECK (tokens >= 0),
  cost_usd REAL NOT NULL CHECK (cost_usd >= 0),
  state TEXT NOT NULL CHECK (state IN ('reserved', 'actual', 'estimated'))
) STRICT;

CREATE INDEX budget_usage_at ON budget_usage (at);
CREATE INDEX budget_usage_session_id ON budget_usage (session_id);
CREATE INDEX budget_usage_agent_id_at ON budget_usage (agent_id, at);

INSERT INTO budget_usage (id, session_id, agent_id, at, tokens, cost_usd, state)
SELECT 'carried-' || id, id, agent_id, updated_at, tokens_in + tokens_out, cost_usd, 'actual'
FROM sessions
WHERE tokens_in + tokens_out > 0 OR cost_usd > 0;

-- migrate:down
DROP INDEX budget_usage_agent_id_at;
DROP INDEX budget_usage_session_id;
DROP INDEX budget_usage_at;
DROP TABLE budget_usage;
DROP INDEX budgets_scope_target;
DROP TABLE budgets;
