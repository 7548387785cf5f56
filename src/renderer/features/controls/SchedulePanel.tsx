// An agent's schedule policy (missed runs, time zone, pause), its next runs and its run history.
import { useState } from 'react';
import { MISSED_POLICIES, type MissedPolicy, type ScheduleInfo, type ScheduleRun } from '../../../shared/ipc/channels/schedules';
import { Button } from '../../components/Button';
import { Badge, SESSION_STATUS_INFO } from '../../components/StatusBadge';
import { formatCost, formatDateTime, formatDuration, formatTokens } from '../../lib/format';
import { useControlsStore } from './store';

const POLICY_LABEL: Record<MissedPolicy, string> = { skip: 'Skip them', once: 'Run once', catchup: 'Catch up' };

/** What happened to a scheduled time that made no session (or before it did). */
const RUN_STATUS_LABEL: Record<ScheduleRun['status'], string> = {
  claimed: 'Starting',
  started: 'Started',
  missed: 'Missed',
  skipped: 'Skipped (overlap)',
  failed: 'Could not start',
  abandoned: 'Abandoned',
};

export function SchedulePanel({ agentId, onOpenSession }: { agentId: string; onOpenSession: (sessionId: string) => void }) {
  const info = useControlsStore((s) => s.schedule[agentId]);
  const history = useControlsStore((s) => s.history[agentId]);
  if (!info) return <p className="muted">Loading schedule…</p>;
  return (
    <section className="controls-section" aria-labelledby={`schedule-${agentId}`} data-testid="schedule-panel">
      <h3 id={`schedule-${agentId}`}>Schedule</h3>
      {info.pattern ? null : <p className="muted">This agent has no schedule (set one under Configuration).</p>}
      <PolicyForm key={JSON.stringify(info.policy)} info={info} />
      {info.nextRuns.length > 0 ? (
        <p data-testid="next-runs">
          Next run: <strong>{formatDateTime(info.nextRuns[0]!)}</strong>
          {info.nextRuns.length > 1 ? <span className="fact-sub"> · then {info.nextRuns.slice(1).map((r) => formatDateTime(r)).join(', ')}</span> : null}
        </p>
      ) : info.pattern ? (
        <p className="muted">{info.policy.paused ? 'Paused: no runs until resumed.' : 'Not planned (no model, or waiting for import review).'}</p>
      ) : null}
      <RunHistory runs={history ?? []} onOpenSession={onOpenSession} />
    </section>
  );
}

function PolicyForm({ info }: { info: ScheduleInfo }) {
  const [policy, setPolicy] = useState(info.policy);
  const { savePolicy } = useControlsStore.getState();
  const id = `policy-${policy.agentId}`;
  return (
    <form
      className="controls-row"
      onSubmit={(e) => {
        e.preventDefault();
        void savePolicy({ ...policy, timezone: policy.timezone?.trim() || null });
      }}
    >
      <label className="field-label" htmlFor={`${id}-missed`}>
        Runs missed while Paddock was closed
      </label>
      <select id={`${id}-missed`} className="input input-sm" value={policy.missedPolicy} onChange={(e) => setPolicy({ ...policy, missedPolicy: e.target.value as MissedPolicy })}>
        {MISSED_POLICIES.map((p) => (
          <option key={p} value={p}>
            {POLICY_LABEL[p]}
          </option>
        ))}
      </select>
      {policy.missedPolicy === 'catchup' ? (
        <>
          <label className="field-label" htmlFor={`${id}-limit`}>
            at most
          </label>
          <input id={`${id}-limit`} className="input input-sm" type="number" min={1} max={24} value={policy.catchupLimit} onChange={(e) => setPolicy({ ...policy, catchupLimit: Number(e.target.value) || 1 })} />
        </>
      ) : null}
      <label className="field-label" htmlFor={`${id}-tz`}>
        Time zone
      </label>
      <input id={`${id}-tz`} className="input input-sm" value={policy.timezone ?? ''} placeholder={Intl.DateTimeFormat().resolvedOptions().timeZone} onChange={(e) => setPolicy({ ...policy, timezone: e.target.value })} />
      <Button type="submit" size="sm">
        Save
      </Button>
      <Button size="sm" variant="ghost" onClick={() => void savePolicy({ ...info.policy, paused: !info.policy.paused })} data-testid="schedule-pause">
        {info.policy.paused ? 'Resume' : 'Pause'}
      </Button>
    </form>
  );
}

function RunHistory({ runs, onOpenSession }: { runs: ScheduleRun[]; onOpenSession: (sessionId: string) => void }) {
  if (runs.length === 0) return <p className="muted">No scheduled runs yet.</p>;
  return (
    <table className="controls-table" data-testid="run-history">
      <caption className="visually-hidden">Scheduled runs, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Scheduled</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
          <th scope="col">Tokens</th>
          <th scope="col">Cost</th>
          <th scope="col">Session</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => {
          const s = r.session;
          const ms = s?.startedAt && s.endedAt ? Date.parse(s.endedAt) - Date.parse(s.startedAt) : null;
          return (
            <tr key={r.id} title={r.note ?? undefined} data-testid="run-row" data-run-status={s?.status ?? r.status}>
              <td>{formatDateTime(r.scheduledAt)}</td>
              <td data-testid="run-status">{s ? <Badge info={SESSION_STATUS_INFO[s.status] ?? SESSION_STATUS_INFO.idle} compact /> : RUN_STATUS_LABEL[r.status]}</td>
              <td>{formatDuration(ms)}</td>
              <td>{s ? formatTokens(s.tokens) : '—'}</td>
              <td>{s ? formatCost(s.costUsd) : '—'}</td>
              <td>{r.sessionId ? <Button size="sm" variant="ghost" onClick={() => onOpenSession(r.sessionId!)} aria-label={`Open the session of the run scheduled ${formatDateTime(r.scheduledAt)}`} data-testid="run-open">Open</Button> : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
