// Usage dashboard: tokens and cost by day (chart), agent, model and provider, for a date range.
// Every table adds up to the totals, which are the sum of the sessions' own figures; the
// tables are the accessible form of the chart.
import { useEffect } from 'react';
import type { UsageRow } from '../../../shared/ipc';
import { totalTokens } from '../../../shared/usage';
import { Dialog } from '../../components/Dialog';
import { EmptyState } from '../../components/States';
import { formatCost, formatTokens } from '../../lib/format';
import { DailyChart } from './DailyChart';
import { UsageBudgets } from '../controls/UsageBudgets';
import { useUsageStore } from './store';

export function UsageDialog({ onClose }: { onClose: () => void }) {
  const { from, to, report, status, error, setRange } = useUsageStore();
  useEffect(() => {
    void useUsageStore.getState().load();
  }, []);
  const empty = report !== null && report.totals.sessions === 0;
  return (
    <Dialog open title="Usage" description="Tokens and cost of the sessions created in the range (deleted sessions left out)." onRequestClose={onClose} size="lg" testId="usage-dialog">
      <div className="usage-range" role="group" aria-label="Date range">
        <label>
          From <input type="date" className="input" value={from} max={to || undefined} onChange={(e) => setRange(e.target.value, to)} data-testid="usage-from" />
        </label>
        <label>
          To <input type="date" className="input" value={to} min={from || undefined} onChange={(e) => setRange(from, e.target.value)} data-testid="usage-to" />
        </label>
        {from || to ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setRange('', '')}>
            All time
          </button>
        ) : null}
        {status === 'loading' ? <span role="status" className="usage-loading">Loading…</span> : null}
      </div>
      {status === 'error' ? <p role="alert" className="notice notice-danger">{error}</p> : null}
      {report ? (
        <>
          <dl className="usage-totals" data-testid="usage-totals">
            <div>
              <dt>Tokens</dt>
              <dd>{formatTokens(totalTokens(report.totals))}</dd>
            </div>
            <div>
              <dt>In / out</dt>
              <dd>
                {formatTokens(report.totals.tokensIn)} / {formatTokens(report.totals.tokensOut)}
              </dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd data-testid="usage-total-cost">{formatCost(report.totals.costUsd)}</dd>
            </div>
            <div>
              <dt>Sessions</dt>
              <dd>{report.totals.sessions.toLocaleString('en-US')}</dd>
            </div>
          </dl>
          <UsageBudgets />
          {empty ? (
            <EmptyState icon="chart" title="No usage in this range" testId="usage-empty">
              Sessions created in the range appear here with their tokens and cost.
            </EmptyState>
          ) : (
            <>
              <h3 className="usage-heading">By day</h3>
              <DailyChart days={report.byDay} />
              <div className="usage-tables">
                <Breakdown title="By day" rows={report.byDay} />
                <Breakdown title="By agent" rows={report.byAgent} />
                <Breakdown title="By model" rows={report.byModel} />
                <Breakdown title="By provider" rows={report.byProvider} />
              </div>
            </>
          )}
        </>
      ) : null}
    </Dialog>
  );
}

function Breakdown({ title, rows }: { title: string; rows: UsageRow[] }) {
  const max = Math.max(1e-9, ...rows.map((r) => r.costUsd));
  const maxTokens = Math.max(1, ...rows.map((r) => totalTokens(r)));
  const byCost = rows.some((r) => r.costUsd > 0);
  return (
    <table className="usage-table" data-testid={`usage-${title.toLowerCase().replace(' ', '-')}`}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{title.replace('By ', '').replace(/^./, (c) => c.toUpperCase())}</th>
          <th scope="col">Tokens</th>
          <th scope="col">Cost</th>
          <th scope="col">Sessions</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const share = byCost ? r.costUsd / max : totalTokens(r) / maxTokens;
          return (
            <tr key={r.key}>
              <th scope="row">
                <span className="usage-bar" style={{ width: `${Math.round(share * 100)}%` }} aria-hidden="true" />
                <span className="usage-label">{r.label}</span>
              </th>
              <td>{formatTokens(totalTokens(r))}</td>
              <td>{formatCost(r.costUsd)}</td>
              <td>{r.sessions}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
