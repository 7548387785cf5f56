// Budgets, approval rules and schedules as the agent editor and the session view show them:
// one slice, loaded per agent or session, refreshed by the events main pushes.
import { create } from 'zustand';
import type { Budget, BudgetSaveInput, BudgetStatus } from '../../../shared/ipc/channels/budgets';
import type { RuleSaveInput, RuleTestResult, ToolRule } from '../../../shared/ipc/channels/rules';
import type { SchedulePolicy, ScheduleInfo, ScheduleRun } from '../../../shared/ipc/channels/schedules';
import type { JsonValue } from '../../../shared/domain';
import { api } from '../../lib/api';
import { runAction } from '../../state/runAction';

type Input<T> = Omit<T, 'id'> & { id?: string };

interface ControlsState {
  /** Budget status by key: `session:<id>` or `agent:<id>`. */
  budgetStatus: Record<string, BudgetStatus>;
  budgets: Record<string, Budget[]>;
  rules: Record<string, ToolRule[]>;
  schedule: Record<string, ScheduleInfo>;
  history: Record<string, ScheduleRun[]>;
  loadBudgetStatus: (target: { sessionId?: string; agentId?: string }) => Promise<void>;
  loadAgent: (agentId: string) => Promise<void>;
  /** The run history alone (on `schedules.history`: a run was claimed, started or ended). */
  loadHistory: (agentId: string) => Promise<void>;
  saveBudget: (agentId: string, input: Partial<BudgetSaveInput> & Pick<BudgetSaveInput, 'scope' | 'maxTokens' | 'maxUsd'>) => Promise<boolean>;
  removeBudget: (agentId: string, id: string) => Promise<void>;
  saveRule: (agentId: string, input: Input<Partial<RuleSaveInput>> & Pick<RuleSaveInput, 'scope' | 'toolName' | 'decision'>) => Promise<boolean>;
  removeRule: (agentId: string, id: string) => Promise<void>;
  testRule: (agentId: string, toolName: string, args: JsonValue) => Promise<RuleTestResult | null>;
  savePolicy: (policy: SchedulePolicy) => Promise<boolean>;
  /** Follows main's events; returns the unsubscribe. */
  watch: (onChange: (what: 'rules' | 'budgets' | 'schedules' | 'history', id: string | null) => void) => () => void;
}

/** Runs the history table shows. */
const HISTORY_LIMIT = 20;

const keyOf = (t: { sessionId?: string; agentId?: string }) => (t.sessionId ? `session:${t.sessionId}` : `agent:${t.agentId ?? ''}`);

export const useControlsStore = create<ControlsState>()((set, get) => ({
  budgetStatus: {},
  budgets: {},
  rules: {},
  schedule: {},
  history: {},
  loadBudgetStatus: async (target) => {
    const status = await runAction('Could not read the budgets', () => api().budgets.status(target));
    if (status) set((s) => ({ budgetStatus: { ...s.budgetStatus, [keyOf(target)]: status } }));
  },
  loadAgent: async (agentId) => {
    const paddock = api();
    const loaded = await runAction('Could not read the rules, budgets and schedule', () =>
      Promise.all([paddock.rules.list({ agentId }), paddock.budgets.list({ agentId }), paddock.budgets.status({ agentId }), paddock.schedules.get({ agentId }), paddock.schedules.history({ agentId, limit: HISTORY_LIMIT })]),
    );
    if (!loaded) return;
    const [rules, budgets, status, schedule, history] = loaded;
    set((s) => ({
      rules: { ...s.rules, [agentId]: rules },
      budgets: { ...s.budgets, [agentId]: budgets },
      budgetStatus: { ...s.budgetStatus, [`agent:${agentId}`]: status },
      schedule: { ...s.schedule, [agentId]: schedule },
      history: { ...s.history, [agentId]: history },
    }));
  },
  loadHistory: async (agentId) => {
    const history = await runAction('Could not read the run history', () => api().schedules.history({ agentId, limit: HISTORY_LIMIT }));
    if (history) set((s) => ({ history: { ...s.history, [agentId]: history } }));
  },
  saveBudget: async (agentId, input) => {
    const ok = await runAction('Could not save the budget', async () => (await api().budgets.save({ targetId: input.scope === 'global' ? null : agentId, ...input }), true), { fallback: false });
    if (ok) await get().loadAgent(agentId);
    return ok;
  },
  removeBudget: async (agentId, id) => {
    await runAction('Could not remove the budget', () => api().budgets.remove({ id }));
    await get().loadAgent(agentId);
  },
  saveRule: async (agentId, input) => {
    const ok = await runAction('Could not save the rule', async () => (await api().rules.save({ targetId: input.scope === 'global' ? null : agentId, ...input }), true), { fallback: false });
    if (ok) await get().loadAgent(agentId);
    return ok;
  },
  removeRule: async (agentId, id) => {
    await runAction('Could not remove the rule', () => api().rules.remove({ id }));
    await get().loadAgent(agentId);
  },
  testRule: async (agentId, toolName, args) => (await runAction('Could not test the call', () => api().rules.test({ agentId, toolName, args }))) ?? null,
  savePolicy: async (policy) => {
    const info = await runAction('Could not save the schedule policy', () => api().schedules.savePolicy(policy));
    if (!info) return false;
    set((s) => ({ schedule: { ...s.schedule, [policy.agentId]: info } }));
    return true;
  },
  watch: (onChange) => {
    const paddock = api();
    const offs = [
      paddock.on('rules.changed', () => onChange('rules', null)),
      paddock.on('budgets.changed', (e) => onChange('budgets', e.sessionId)),
      paddock.on('schedules.changed', (e) => onChange('schedules', e.agentId)),
      paddock.on('schedules.history', (e) => onChange('history', e.agentId)),
      paddock.on('sessions.statusChanged', (e) => onChange('budgets', e.sessionId)),
    ];
    return () => offs.forEach((off) => off());
  },
}));
