-- Indexed aggregates for the per-agent lists and usage roll-ups, so they read narrow index
-- entries (one per session) instead of every session row, and never a log node: on a history
-- of 10,000 sessions the roll-up by agent and day read every row and sorted it (~260 ms on a
-- loaded machine), the session count per agent looked up each live session's row.
--
-- * sessions_agent_id_deleted_at: count of live (or trashed) sessions per agent, covered.
-- * sessions_usage: tokens and cost by time (created_at) and agent, covered: a date range is one
--   range of the index. The totals are the sessions' own columns, kept by the runtime as usage
--   is reported.

-- migrate:up
CREATE INDEX sessions_agent_id_deleted_at ON sessions (agent_id, deleted_at);
CREATE INDEX sessions_usage ON sessions (created_at, agent_id, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost_usd);

-- migrate:down
DROP INDEX sessions_usage;
DROP INDEX sessions_agent_id_deleted_at;
