-- Schedule policy and exactly-once scheduled runs.
--
-- * agent_schedules: per agent, what to do about runs missed while Paddock was closed or the
--   machine slept (skip, run once, catch up at most catchup_limit), the time zone the cron
--   pattern is read in (NULL = the machine's), whether the schedule is paused, and `since`: the
--   scheduled times up to and including it have been dealt with for `pattern` (a new pattern
--   starts afresh from the moment it was seen).
-- * schedule_runs: one row per agent and scheduled time, whatever happened to it (started,
--   missed, skipped because the previous run was still going, failed to start, or abandoned by a
--   process that died between claiming and starting it). The UNIQUE (agent_id, scheduled_at)
--   is what makes a scheduled time fire exactly once: a process runs a time only after its own
--   INSERT of that row committed, so a restart, a crash or a second Paddock on the same
--   database can never run it again.

-- migrate:up
CREATE TABLE agent_schedules (
  agent_id TEXT PRIMARY KEY NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  missed_policy TEXT NOT NULL DEFAULT 'skip' CHECK (missed_policy IN ('skip', 'once', 'catchup')),
  catchup_limit INTEGER NOT NULL DEFAULT 3 CHECK (catchup_limit BETWEEN 1 AND 24),
  timezone TEXT CHECK (timezone IS NULL OR (length(timezone) > 0 AND length(timezone) <= 100)),
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  pattern TEXT,
  since TEXT CHECK (since IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', since) = since),
  updated_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) = updated_at)
) STRICT;

CREATE TABLE schedule_runs (
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  scheduled_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', scheduled_at) = scheduled_at),
  status TEXT NOT NULL CHECK (status IN ('claimed', 'started', 'missed', 'skipped', 'failed', 'abandoned')),
  session_id TEXT REFERENCES sessions (id) ON DELETE SET NULL,
  instance_id TEXT,
  claimed_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', claimed_at) = claimed_at),
  note TEXT,
  UNIQUE (agent_id, scheduled_at)
) STRICT;

CREATE INDEX schedule_runs_session_id ON schedule_runs (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX schedule_runs_claimed ON schedule_runs (status) WHERE status = 'claimed';

-- migrate:down
DROP INDEX schedule_runs_claimed;
DROP INDEX schedule_runs_session_id;
DROP TABLE schedule_runs;
DROP TABLE agent_schedules;
