// The usage view's budget line: what is used of the monthly budget for all agents, so a cap and
// what is left of it show beside the spend it limits. Agent and session budgets are shown in the
// agent editor and the session header.
import { useEffect, useState } from 'react';
import './controls.css';
import type { BudgetStatus } from '../../../shared/ipc/channels/budgets';
import { api } from '../../lib/api';
import { runAction } from '../../state/runAction';
import { BudgetMeter } from './SessionBudget';

export function UsageBudgets() {
  const [status, setStatus] = useState<BudgetStatus | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => void runAction('Could not read the budgets', () => api().budgets.status({})).then((s) => live && s && setStatus(s));
    load();
    const off = api().on('budgets.changed', load);
    return () => {
      live = false;
      off();
    };
  }, []);
  if (!status) return null;
  return (
    <section className="usage-budgets" aria-labelledby="usage-budgets-title" data-testid="usage-budgets">
      <h3 id="usage-budgets-title" className="usage-heading">
        Budget for all agents
      </h3>
      {status.budgets.length === 0 ? (
        <p className="muted">No monthly budget for all agents. Set one in an agent’s “Rules, budgets &amp; schedule” tab.</p>
      ) : (
        status.budgets.map((u) => <BudgetMeter key={u.budget.id} use={u} />)
      )}
    </section>
  );
}
