// The budgets a session's runs are checked against, in its header: what is used of each cap, a
// warning from 80 %, and "Budget reached" when a budget stopped the run.
import { useEffect } from 'react';
import './controls.css';
import type { BudgetUse } from '../../../shared/ipc/channels/budgets';
import { Badge } from '../../components/StatusBadge';
import { formatCost, formatTokens } from '../../lib/format';
import { useControlsStore } from './store';

const SCOPE_LABEL: Record<BudgetUse['budget']['scope'], string> = {
  global: 'All agents this month',
  agent: 'This agent this month',
  session: 'This session',
  schedule: 'This scheduled run',
};

export function budgetLine(u: BudgetUse): string {
  const parts: string[] = [];
  if (u.budget.maxTokens !== null) parts.push(`${formatTokens(u.usedTokens)} / ${formatTokens(u.budget.maxTokens)} tokens`);
  if (u.budget.maxUsd !== null) parts.push(`${formatCost(u.usedUsd)} / ${formatCost(u.budget.maxUsd)}`);
  return `${parts.join(' · ')}${u.estimated ? ' (partly estimated)' : ''}`;
}

export function BudgetMeter({ use }: { use: BudgetUse }) {
  const pct = Math.min(100, Math.round(use.fraction * 100));
  return (
    <div className={`budget-meter budget-${use.state}`} data-testid="budget-meter">
      <span className="budget-meter-label">{SCOPE_LABEL[use.budget.scope]}</span>
      <meter min={0} max={100} low={79} high={99} optimum={0} value={pct} aria-label={`${SCOPE_LABEL[use.budget.scope]}: ${pct} % used`} />
      <span className="budget-meter-value">
        {budgetLine(use)} · {pct} %
      </span>
    </div>
  );
}

export function SessionBudget({ sessionId, status }: { sessionId: string; status: string }) {
  const info = useControlsStore((s) => s.budgetStatus[`session:${sessionId}`]);
  useEffect(() => {
    const { loadBudgetStatus, watch } = useControlsStore.getState();
    void loadBudgetStatus({ sessionId });
    return watch((what, id) => {
      if (what === 'budgets' && (id === null || id === sessionId)) void loadBudgetStatus({ sessionId });
    });
  }, [sessionId, status]);
  if (!info || (info.budgets.length === 0 && !info.stoppedBy)) return null;
  const worst = info.budgets.reduce<BudgetUse | null>((w, u) => (!w || u.fraction > w.fraction ? u : w), null);
  const tone = info.stoppedBy || worst?.state === 'reached' ? 'danger' : worst?.state === 'warning' ? 'warning' : 'neutral';
  const label = info.stoppedBy ? 'Budget reached' : worst ? `Budget ${Math.min(999, Math.round(worst.fraction * 100))} %` : 'Budget';
  return (
    <details className="session-budget" data-testid="session-budget">
      <summary title={info.stoppedBy ?? (worst ? budgetLine(worst) : '')}>
        <Badge info={{ label, tone, icon: tone === 'neutral' ? 'circle' : 'alert' }} compact testId="budget-badge" />
      </summary>
      <div className="session-budget-panel">
        {info.stoppedBy ? <p className="run-note" role="status">{info.stoppedBy}</p> : null}
        {info.budgets.map((u) => (
          <BudgetMeter key={u.budget.id} use={u} />
        ))}
      </div>
    </details>
  );
}
