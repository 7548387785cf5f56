-- Usage per session, model and provider, kept beside the log so the usage view's breakdowns by
-- model and provider never read log nodes.
--
-- The usage view summed the model calls (assistant messages with tokens or cost) of every
-- session in range straight from log_nodes: on a history of 10,000 sessions and 3 M nodes a
-- 30-day report took ~11 s, growing with the nodes in range. This table holds the same sums, one
-- row per (session, model, provider), so a report reads one short index range per session.
--
-- * model / provider are '' where the node has none (the report labels them "unknown").
-- * calls counts the nodes behind the row; a row whose last node goes is removed, so the table
--   holds exactly the groups the old GROUP BY over log_nodes returned.
-- * The triggers use the report's own predicate for a model call (kind 'assistant_message' and
--   some tokens or cost), on both the old and the new row of an update: the writer fills a
--   node's counts by UPDATE when the call ends, and may change model or provider then too. The
--   update trigger fires only when one of the summed columns really changed, since the writer's
--   UPDATE names them all on every status change.
-- * Nodes go a session at a time (the sessions cascade, LogsRepository.deleteBySession,
--   retention): the delete trigger subtracts, and the session's own rows go with it by
--   ON DELETE CASCADE whichever runs first.
-- * The backfill reads the log once, when this migration is applied.

-- migrate:up
CREATE TABLE session_model_usage (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  calls INTEGER NOT NULL CHECK (calls > 0),
  tokens_in INTEGER NOT NULL,
  tokens_out INTEGER NOT NULL,
  tokens_reasoning INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  PRIMARY KEY (session_id, model, provider)
) STRICT, WITHOUT ROWID;

INSERT INTO session_model_usage (session_id, model, provider, calls, tokens_in, tokens_out, tokens_reasoning, cost_usd)
SELECT session_id, coalesce(model, ''), coalesce(provider, ''), count(*), sum(tokens_in), sum(tokens_out), sum(tokens_reasoning), sum(cost_usd)
FROM log_nodes
WHERE kind = 'assistant_message' AND (tokens_in > 0 OR tokens_out > 0 OR cost_usd > 0)
GROUP BY 1, 2, 3;

CREATE TRIGGER log_nodes_usage_insert
AFTER INSERT ON log_nodes
WHEN NEW.kind = 'assistant_message' AND (NEW.tokens_in > 0 OR NEW.tokens_out > 0 OR NEW.cost_usd > 0)
BEGIN
  INSERT INTO session_model_usage (session_id, model, provider, calls, tokens_in, tokens_out, tokens_reasoning, cost_usd)
  VALUES (NEW.session_id, coalesce(NEW.model, ''), coalesce(NEW.provider, ''), 1, NEW.tokens_in, NEW.tokens_out, NEW.tokens_reasoning, NEW.cost_usd)
  ON CONFLICT (session_id, model, provider) DO UPDATE SET
    calls = calls + 1, tokens_in = tokens_in + excluded.tokens_in, tokens_out = tokens_out + excluded.tokens_out,
    tokens_reasoning = tokens_reasoning + excluded.tokens_reasoning, cost_usd = cost_usd + excluded.cost_usd;
END;

CREATE TRIGGER log_nodes_usage_update
AFTER UPDATE OF session_id, kind, model, provider, tokens_in, tokens_out, tokens_reasoning, cost_usd ON log_nodes
WHEN (OLD.session_id IS NOT NEW.session_id OR OLD.kind IS NOT NEW.kind OR OLD.model IS NOT NEW.model
    OR OLD.provider IS NOT NEW.provider OR OLD.tokens_in IS NOT NEW.tokens_in OR OLD.tokens_out IS NOT NEW.tokens_out
    OR OLD.tokens_reasoning IS NOT NEW.tokens_reasoning OR OLD.cost_usd IS NOT NEW.cost_usd)
  AND ((OLD.kind = 'assistant_message' AND (OLD.tokens_in > 0 OR OLD.tokens_out > 0 OR OLD.cost_usd > 0))
    OR (NEW.kind = 'assistant_message' AND (NEW.tokens_in > 0 OR NEW.tokens_out > 0 OR NEW.cost_usd > 0)))
BEGIN
  UPDATE session_model_usage SET
    calls = calls - 1, tokens_in = tokens_in - OLD.tokens_in, tokens_out = tokens_out - OLD.tokens_out,
    tokens_reasoning = tokens_reasoning - OLD.tokens_reasoning, cost_usd = cost_usd - OLD.cost_usd
  WHERE session_id = OLD.session_id AND model = coalesce(OLD.model, '') AND provider = coalesce(OLD.provider, '') AND calls > 1
    AND OLD.kind = 'assistant_message' AND (OLD.tokens_in > 0 OR OLD.tokens_out > 0 OR OLD.cost_usd > 0);
  DELETE FROM session_model_usage
  WHERE session_id = OLD.session_id AND model = coalesce(OLD.model, '') AND provider = coalesce(OLD.provider, '') AND calls = 1
    AND OLD.kind = 'assistant_message' AND (OLD.tokens_in > 0 OR OLD.tokens_out > 0 OR OLD.cost_usd > 0);
  INSERT INTO session_model_usage (session_id, model, provider, calls, tokens_in, tokens_out, tokens_reasoning, cost_usd)
  SELECT NEW.session_id, coalesce(NEW.model, ''), coalesce(NEW.provider, ''), 1, NEW.tokens_in, NEW.tokens_out, NEW.tokens_reasoning, NEW.cost_usd
  WHERE NEW.kind = 'assistant_message' AND (NEW.tokens_in > 0 OR NEW.tokens_out > 0 OR NEW.cost_usd > 0)
  ON CONFLICT (session_id, model, provider) DO UPDATE SET
    calls = calls + 1, tokens_in = tokens_in + excluded.tokens_in, tokens_out = tokens_out + excluded.tokens_out,
    tokens_reasoning = tokens_reasoning + excluded.tokens_reasoning, cost_usd = cost_usd + excluded.cost_usd;
END;

CREATE TRIGGER log_nodes_usage_delete
AFTER DELETE ON log_nodes
WHEN OLD.kind = 'assistant_message' AND (OLD.tokens_in > 0 OR OLD.tokens_out > 0 OR OLD.cost_usd > 0)
BEGIN
  UPDATE session_model_usage SET
    calls = calls - 1, tokens_in = tokens_in - OLD.tokens_in, tokens_out = tokens_out - OLD.tokens_out,
    tokens_reasoning = tokens_reasoning - OLD.tokens_reasoning, cost_usd = cost_usd - OLD.cost_usd
  WHERE session_id = OLD.session_id AND model = coalesce(OLD.model, '') AND provider = coalesce(OLD.provider, '') AND calls > 1;
  DELETE FROM session_model_usage
  WHERE session_id = OLD.session_id AND model = coalesce(OLD.model, '') AND provider = coalesce(OLD.provider, '') AND calls = 1;
END;

-- migrate:down
DROP TRIGGER log_nodes_usage_delete;
DROP TRIGGER log_nodes_usage_update;
DROP TRIGGER log_nodes_usage_insert;
DROP TABLE session_model_usage;
