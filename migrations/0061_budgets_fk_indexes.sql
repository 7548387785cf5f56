-- Deleting a session or an agent (purge, retention) checks the budgets that point at it
-- through their foreign keys, and budgets had no index starting with session_id or agent_id
-- (budgets_scope_target starts with scope): each deleted row read the whole budgets table.

-- migrate:up
CREATE INDEX budgets_session_id ON budgets (session_id);
CREATE INDEX budgets_agent_id ON budgets (agent_id);

-- migrate:down
DROP INDEX budgets_agent_id;
DROP INDEX budgets_session_id;
