-- Consent: nothing from outside acts before the user has looked at it.
--
-- * agent_reviews: what an imported agent file asked for (permission mode, paths outside the
--   home folder, schedule, MCP servers, tools) and was held back. The agent itself is stored
--   disarmed; a row here means "needs review" (the scheduler does not plan it) until the user
--   confirms what to arm. A separate table, not a column, so the immutable version rows and
--   the config-change trigger of 0001 stay as they are.
-- * mcp_approvals: the user's approval to start a stdio MCP server, bound to a sha256 of the
--   exact launch spec (command, args, env, cwd). An edited spec no longer matches, so the
--   approval lapses without anyone having to remember to reset it.

-- migrate:up
CREATE TABLE agent_reviews (
  agent_id TEXT PRIMARY KEY NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  request TEXT NOT NULL CHECK (json_valid(request) AND json_type(request) = 'object'),
  created_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) = created_at)
) STRICT;

CREATE TABLE mcp_approvals (
  server_id TEXT PRIMARY KEY NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
  spec_sha256 TEXT NOT NULL CHECK (length(spec_sha256) = 64),
  approved_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', approved_at) = approved_at)
) STRICT;

-- migrate:down
DROP TABLE mcp_approvals;
DROP TABLE agent_reviews;
