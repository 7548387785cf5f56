// A job's progress bar with Cancel: determinate when the total is known (file bytes for an
// import, nodes for an export), indeterminate otherwise. Announced politely, never stealing focus.
import type { Job } from './store';
import { Button } from '../../components/Button';

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function JobProgress({ job, onCancel }: { job: Job; onCancel: () => void }) {
  const p = job.progress;
  const fraction = p === null ? null : p.phase === 'done' ? 1 : p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : p.totalNodes ? Math.min(1, p.nodes / p.totalNodes) : null;
  const pct = fraction === null ? null : Math.round(fraction * 100);
  const detail = p === null ? 'Starting…' : `${p.nodes.toLocaleString()} log entries${p.totalBytes ? ` · ${fmtBytes(p.bytes)} of ${fmtBytes(p.totalBytes)}` : p.bytes ? ` · ${fmtBytes(p.bytes)}` : ''}`;
  const running = job.status === 'running';
  return (
    <div className="job-progress" data-testid="job-progress" data-status={job.status}>
      <div className="job-progress-head">
        <span className="job-progress-label" id={`${job.id}-label`}>
          {job.label}
        </span>
        {running ? (
          <Button size="sm" variant="secondary" icon="x" onClick={onCancel} data-testid="job-cancel">
            Cancel
          </Button>
        ) : null}
      </div>
      <div
        className={`job-progress-track${pct === null && running ? ' is-indeterminate' : ''}`}
        role="progressbar"
        aria-labelledby={`${job.id}-label`}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(pct !== null ? { 'aria-valuenow': pct } : {})}
        aria-valuetext={pct !== null ? `${pct}% · ${detail}` : detail}
      >
        <div className="job-progress-fill" style={{ width: `${pct ?? (running ? 30 : 100)}%` }} />
      </div>
      <p className="job-progress-detail" aria-live="polite">
        {job.status === 'running' ? detail : job.status === 'done' ? `Done · ${detail}` : job.message}
      </p>
    </div>
  );
}
