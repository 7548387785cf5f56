// Budgets and the usage ledger (migration 0012). reserve() is the enforcement point: in one
// write transaction it adds up what every applicable budget has used (reservations of calls
// under way included), refuses when the call's worst case would cross any cap, and otherwise
// writes that worst case as a reservation. So two runs, or two Paddocks, cannot both spend the
// last of a cap.
import type { Client, InValue, Row } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { BUDGET_WARNING_FRACTION, type Budget, type BudgetSaveInput, type BudgetScope, type BudgetUse } from '../../shared/ipc/channels/budgets.js';
import { mapSqliteError } from './errors.js';
import { num, numOrNull, nowIso, str, strOrNull } from './rows.js';

type Exec = Pick<Client, 'execute'>;

function toBudget(r: Row): Budget {
  const scope = str(r, 'scope') as BudgetScope;
  return {
    id: str(r, 'id'),
    scope,
    targetId: scope === 'session' ? strOrNull(r, 'session_id') : scope === 'global' ? null : strOrNull(r, 'agent_id'),
    maxTokens: numOrNull(r, 'max_tokens'),
    maxUsd: numOrNull(r, 'max_usd'),
    createdAt: str(r, 'created_at'),
    updatedAt: str(r, 'updated_at'),
  };
}

/** The first instant of `now`'s calendar month, UTC. */
export function monthStart(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

export function useOf(budget: Budget, usedTokens: number, usedUsd: number, estimated: boolean, periodStart: string | null): BudgetUse {
  const ratios = [budget.maxTokens ? usedTokens / budget.maxTokens : 0, budget.maxUsd ? usedUsd / budget.maxUsd : 0];
  const fraction = Math.max(...ratios);
  return { budget, periodStart, usedTokens, usedUsd, estimated, fraction, state: fraction >= 1 ? 'reached' : fraction >= BUDGET_WARNING_FRACTION ? 'warning' : 'ok' };
}

/** Whether adding this much would cross the budget's caps. */
export function wouldCross(use: BudgetUse, tokens: number, usd: number): boolean {
  const b = use.budget;
  return (b.maxTokens !== null && use.usedTokens + tokens > b.maxTokens) || (b.maxUsd !== null && use.usedUsd + usd > b.maxUsd + 1e-12);
}

export interface RunScope {
  sessionId: string;
  agentId: string;
  now: Date;
}

export type Reservation = { ok: true; id: string; before: BudgetUse[] } | { ok: false; blocking: BudgetUse; before: BudgetUse[] };

const APPLICABLE_SQL = `SELECT * FROM budgets WHERE scope = 'global'
  OR (scope = 'agent' AND agent_id = ?)
  OR (scope = 'schedule' AND agent_id = ? AND EXISTS (SELECT 1 FROM schedule_runs WHERE session_id = ?))
  OR (scope = 'session' AND session_id = ?)
  ORDER BY CASE scope WHEN 'global' THEN 0 WHEN 'agent' THEN 1 WHEN 'schedule' THEN 2 ELSE 3 END`;

export class BudgetsRepository {
  constructor(private readonly client: Client) {}

  /** The budgets a call of this session is checked against, with what each has used. */
  async uses(scope: RunScope, db: Exec = this.client): Promise<BudgetUse[]> {
    const r = await db.execute({ sql: APPLICABLE_SQL, args: [scope.agentId, scope.agentId, scope.sessionId, scope.sessionId] });
    const out: BudgetUse[] = [];
    for (const b of r.rows.map(toBudget)) out.push(await this.useIn(db, b, scope));
    return out;
  }

  private async useIn(db: Exec, b: Budget, scope: { sessionId: string | null; agentId: string | null; now: Date }): Promise<BudgetUse> {
    const month = monthStart(scope.now);
    let where: string;
    let args: InValue[];
    let period: string | null = null;
    if (b.scope === 'global') [where, args, period] = ['at >= ?', [month], month];
    else if (b.scope === 'agent') [where, args, period] = ['agent_id = ? AND at >= ?', [b.targetId, month], month];
    else if (b.scope === 'session') [where, args] = ['session_id = ?', [b.targetId]];
    else [where, args] = ['session_id = ?', [scope.sessionId]];
    const r = await db.execute({
      sql: `SELECT coalesce(sum(tokens), 0) AS tokens, coalesce(sum(cost_usd), 0) AS usd, coalesce(sum(state <> 'actual'), 0) AS inexact FROM budget_usage WHERE ${where}`,
      args,
    });
    const row = r.rows[0]!;
    return useOf(b, num(row, 'tokens'), num(row, 'usd'), num(row, 'inexact') > 0, period);
  }

  /**
   * Checks the worst case against every applicable budget and, when it fits, reserves it: one
   * INSERT … WHERE NOT EXISTS (a budget it would cross), so the check and the reservation are one
   * statement in one write transaction (another run or process cannot slip in between).
   */
  async reserve(scope: RunScope, worst: { tokens: number; usd: number }): Promise<Reservation> {
    const before = await this.uses(scope);
    const id = uuidv7();
    const month = monthStart(scope.now);
    const used = (col: string) => `(SELECT coalesce(sum(u.${col}), 0) FROM budget_usage u WHERE CASE b.scope
        WHEN 'global' THEN u.at >= :month
        WHEN 'agent' THEN u.agent_id = b.agent_id AND u.at >= :month
        ELSE u.session_id = :session END)`;
    const [ins] = await this.client.batch(
      [
        {
          sql: `INSERT INTO budget_usage (id, session_id, agent_id, at, tokens, cost_usd, state)
                SELECT :id, :session, :agent, :at, :tokens, :usd, 'reserved'
                WHERE NOT EXISTS (
                  SELECT 1 FROM budgets b
                  WHERE (b.scope = 'global' OR (b.scope = 'agent' AND b.agent_id = :agent)
                         OR (b.scope = 'schedule' AND b.agent_id = :agent AND EXISTS (SELECT 1 FROM schedule_runs WHERE session_id = :session))
                         OR (b.scope = 'session' AND b.session_id = :session))
                    AND ((b.max_tokens IS NOT NULL AND ${used('tokens')} + :tokens > b.max_tokens)
                      OR (b.max_usd IS NOT NULL AND ${used('cost_usd')} + :usd > b.max_usd + 1e-12)))`,
          args: { id, session: scope.sessionId, agent: scope.agentId, at: scope.now.toISOString(), tokens: Math.ceil(worst.tokens), usd: worst.usd, month },
        },
      ],
      'write',
    );
    if (ins!.rowsAffected > 0) return { ok: true, id, before };
    const now = await this.uses(scope);
    const blocking = now.find((u) => wouldCross(u, Math.ceil(worst.tokens), worst.usd)) ?? now[0]!;
    return { ok: false, blocking, before: now };
  }

  /** Replaces a reservation with what the call used (reported, or estimated when it was not). */
  async settle(id: string, used: { tokens: number; usd: number; estimated: boolean }): Promise<void> {
    await this.client.execute({
      sql: `UPDATE budget_usage SET tokens = ?, cost_usd = ?, state = ? WHERE id = ?`,
      args: [Math.max(0, Math.round(used.tokens)), Math.max(0, used.usd), used.estimated ? 'estimated' : 'actual', id],
    });
  }

  /** Global, agent and schedule budgets of an agent (no session), with this month's use. */
  async agentUses(agentId: string | null, now: Date): Promise<BudgetUse[]> {
    const r = await this.client.execute({
      sql: `SELECT * FROM budgets WHERE scope = 'global' OR (agent_id = ? AND scope IN ('agent', 'schedule'))
            ORDER BY CASE scope WHEN 'global' THEN 0 WHEN 'agent' THEN 1 ELSE 2 END`,
      args: [agentId],
    });
    const latest = agentId
      ? await this.client.execute({ sql: `SELECT session_id FROM schedule_runs WHERE agent_id = ? AND session_id IS NOT NULL ORDER BY scheduled_at DESC LIMIT 1`, args: [agentId] })
      : null;
    const lastRun = latest?.rows[0] ? strOrNull(latest.rows[0], 'session_id') : null;
    const out: BudgetUse[] = [];
    for (const b of r.rows.map(toBudget)) out.push(await this.useIn(this.client, b, { sessionId: lastRun, agentId, now }));
    return out;
  }

  async list(opts: { agentId?: string | null; sessionId?: string | null }): Promise<Budget[]> {
    const r = await this.client.execute({
      sql: `SELECT * FROM budgets WHERE scope = 'global' OR agent_id = ? OR session_id = ?
            ORDER BY CASE scope WHEN 'global' THEN 0 WHEN 'agent' THEN 1 WHEN 'schedule' THEN 2 ELSE 3 END`,
      args: [opts.agentId ?? null, opts.sessionId ?? null],
    });
    return r.rows.map(toBudget);
  }

  /** Sets the budget of a scope and target, replacing the one there. */
  async save(input: BudgetSaveInput): Promise<Budget> {
    const agentId = input.scope === 'agent' || input.scope === 'schedule' ? input.targetId : null;
    const sessionId = input.scope === 'session' ? input.targetId : null;
    const now = nowIso();
    const match = `scope = ? AND agent_id IS ? AND session_id IS ?`;
    try {
      await this.client.batch(
        [
          { sql: `UPDATE budgets SET max_tokens = ?, max_usd = ?, updated_at = ? WHERE ${match}`, args: [input.maxTokens, input.maxUsd, now, input.scope, agentId, sessionId] },
          {
            sql: `INSERT INTO budgets (id, scope, agent_id, session_id, max_tokens, max_usd, created_at, updated_at)
                  SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM budgets WHERE ${match})`,
            args: [uuidv7(), input.scope, agentId, sessionId, input.maxTokens, input.maxUsd, now, now, input.scope, agentId, sessionId],
          },
        ],
        'write',
      );
    } catch (err) {
      mapSqliteError(err, 'saving the budget');
    }
    const r = await this.client.execute({ sql: `SELECT * FROM budgets WHERE ${match}`, args: [input.scope, agentId, sessionId] });
    return toBudget(r.rows[0]!);
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.client.execute({ sql: 'DELETE FROM budgets WHERE id = ?', args: [id] });
    return r.rowsAffected > 0;
  }
}
