// An agent's budgets (per month, per scheduled run) and the global monthly one, with what is used.
import { useState } from 'react';
import type { Budget, BudgetScope } from '../../../shared/ipc/channels/budgets';
import { Button } from '../../components/Button';
import { BudgetMeter } from './SessionBudget';
import { useControlsStore } from './store';

const EDITABLE: { scope: BudgetScope; label: string; hint: string }[] = [
  { scope: 'agent', label: 'This agent, per month', hint: 'All its sessions in a calendar month (UTC).' },
  { scope: 'schedule', label: 'Each scheduled run', hint: 'One run started by the schedule.' },
  { scope: 'global', label: 'All agents, per month', hint: 'Shared by every agent.' },
];

export function BudgetPanel({ agentId }: { agentId: string }) {
  const budgets = useControlsStore((s) => s.budgets[agentId]);
  const status = useControlsStore((s) => s.budgetStatus[`agent:${agentId}`]);
  if (!budgets) return <p className="muted">Loading budgets…</p>;
  return (
    <section className="controls-section" aria-labelledby={`budgets-${agentId}`} data-testid="budget-panel">
      <h3 id={`budgets-${agentId}`}>Budgets</h3>
      <p className="muted">Checked before every model call against its worst case; a run that would cross a cap stops with “Budget reached”. Leave both empty for no cap.</p>
      {EDITABLE.map((e) => (
        <BudgetRow key={e.scope} agentId={agentId} {...e} budget={budgets.find((b) => b.scope === e.scope) ?? null} />
      ))}
      {status?.budgets.map((u) => (u.budget.scope === 'schedule' ? null : <BudgetMeter key={u.budget.id} use={u} />))}
    </section>
  );
}

function BudgetRow({ agentId, scope, label, hint, budget }: { agentId: string; scope: BudgetScope; label: string; hint: string; budget: Budget | null }) {
  const [tokens, setTokens] = useState(budget?.maxTokens?.toString() ?? '');
  const [usd, setUsd] = useState(budget?.maxUsd?.toString() ?? '');
  const { saveBudget, removeBudget } = useControlsStore.getState();
  const id = `budget-${scope}-${agentId}`;
  return (
    <form
      className="controls-row"
      onSubmit={(e) => {
        e.preventDefault();
        const maxTokens = tokens.trim() ? Number(tokens) : null;
        const maxUsd = usd.trim() ? Number(usd) : null;
        if (maxTokens === null && maxUsd === null) {
          if (budget) void removeBudget(agentId, budget.id);
          return;
        }
        void saveBudget(agentId, { scope, maxTokens, maxUsd });
      }}
      data-testid={`budget-${scope}`}
    >
      <span className="controls-label" title={hint}>
        {label}
      </span>
      <label htmlFor={`${id}-tokens`} className="field-label">
        Tokens
      </label>
      <input id={`${id}-tokens`} className="input input-sm" inputMode="numeric" value={tokens} onChange={(e) => setTokens(e.target.value)} placeholder="no cap" data-testid={`budget-${scope}-tokens`} />
      <label htmlFor={`${id}-usd`} className="field-label">
        US$
      </label>
      <input id={`${id}-usd`} className="input input-sm" inputMode="decimal" value={usd} onChange={(e) => setUsd(e.target.value)} placeholder="no cap" data-testid={`budget-${scope}-usd`} />
      <Button type="submit" size="sm" data-testid={`budget-${scope}-save`}>
        {budget ? 'Update' : 'Set'}
      </Button>
    </form>
  );
}
