// Budgets enforced by the real run loop against the provider test server (real HTTP + SSE).
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../../shared/domain';
import { createHarness, type Harness } from '../testing/harness';
import { estimateInput } from './guard';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const posts = (x: Harness) => x.server.requests.filter((q) => q.method === 'POST');
const toolTurn = (n: number) => ({ parts: [{ type: 'tool_call' as const, name: 'list_directory', args: { path: '.' }, id: `call-${n}` }], usage: { input: 1000, output: 200 } });

async function budgetedSession(x: Harness, config: Partial<AgentConfig> = {}) {
  return x.newSession({ permissionMode: 'ask', builtinTools: ['list_directory'], settings: { maxOutputTokens: 200 }, ...config });
}

describe('budgets in a run', () => {
  it('a token budget stops the run at exactly the call whose worst case would cross it, keeping everything so far', async () => {
    h = await createHarness();
    const s = await budgetedSession(h);
    // Each call really uses 1,000 + 200. Worst case of call 2: ~1,000 input + 200 output, fits in
    // 2,600 - 1,200; call 3's cannot fit in 2,600 - 2,400.
    await h.repo.budgets.save({ scope: 'session', targetId: s.id, maxTokens: 2600, maxUsd: null });
    h.server.push(toolTurn(1), toolTurn(2), { parts: [{ type: 'text', text: 'never sent' }] });
    await h.runtime.start({ sessionId: s.id, message: 'look around' });
    const done = await h.waitForStatus(s.id, 'budget_reached', 'stopped', 'completed', 'failed');
    expect(done.status).toBe('budget_reached');
    expect(done.error).toMatch(/^Budget reached: the next model call could use up to [\d,]+ tokens, more than is left of the session's budget \(2,400 of 2,600 tokens used\)/);
    expect(posts(h)).toHaveLength(2);
    // The worst case is enforced at the provider too: the output allowance is sent.
    expect((posts(h)[0]!.body as { max_tokens?: number }).max_tokens).toBe(200);
    expect(done.tokensIn + done.tokensOut).toBe(2400);
    const tree = await h.tree(s.id);
    const stop = tree.find((n) => n.metadata.reason === 'budget_reached')!;
    expect(stop).toMatchObject({ kind: 'error', status: 'complete' });
    expect(stop.content).toBe(done.error);
    // Everything before the stop is kept: both steps and both tool calls with their results.
    expect(tree.filter((n) => n.kind === 'assistant_message')).toHaveLength(2);
    expect(tree.filter((n) => n.kind === 'action' && n.status === 'complete')).toHaveLength(2);
    const status = await h.repo.budgets.uses({ sessionId: s.id, agentId: s.agentId, now: new Date() });
    expect(status[0]).toMatchObject({ usedTokens: 2400, estimated: false, state: 'warning' });
    // The status change is announced like any other (lists, badges and notifications follow it).
    expect(h.events.some((e) => e.event === 'sessions.statusChanged' && (e.payload as { to: string }).to === 'budget_reached')).toBe(true);

    // Raising the budget and resuming continues from where it stopped.
    await h.repo.budgets.save({ scope: 'session', targetId: s.id, maxTokens: 10_000, maxUsd: null });
    await h.runtime.resume(s.id);
    expect((await h.waitForStatus(s.id, 'completed', 'failed', 'stopped', 'budget_reached')).status).toBe('completed');
    expect(posts(h)).toHaveLength(3);
  });

  it('a money budget on the agent stops at the call that would cross it, and warns at 80 %', async () => {
    h = await createHarness();
    const s = await budgetedSession(h);
    // $3 / $15 per million: a call is $0.006; the worst case of the next one about $0.0061.
    await h.repo.budgets.save({ scope: 'agent', targetId: s.agentId, maxTokens: null, maxUsd: 0.0125 });
    h.server.push(toolTurn(1), toolTurn(2), { parts: [{ type: 'text', text: 'never sent' }] });
    await h.runtime.start({ sessionId: s.id, message: 'look around' });
    const done = await h.waitForStatus(s.id, 'budget_reached', 'stopped', 'completed', 'failed');
    expect(done.status).toBe('budget_reached');
    expect(done.error).toContain("agent's monthly budget ($0.0120 of $0.0125 used)");
    expect(posts(h)).toHaveLength(2);
    expect(done.costUsd).toBeCloseTo(0.012, 10);
    const warning = (await h.tree(s.id)).find((n) => n.metadata.reason === 'budget_warning');
    expect(warning?.content).toMatch(/^Budget warning: 96 % of the agent's monthly budget is used/);
    expect(h.events.some((e) => e.event === 'budgets.changed' && (e.payload as { kind: string }).kind === 'reached')).toBe(true);
  });

  it('the global monthly budget counts every session of the month; a new session is refused before its first call', async () => {
    h = await createHarness();
    const first = await budgetedSession(h);
    await h.repo.budgets.save({ scope: 'global', targetId: null, maxTokens: 1500, maxUsd: null });
    h.server.push({ parts: [{ type: 'text', text: 'done' }], usage: { input: 1000, output: 200 } });
    await h.runtime.start({ sessionId: first.id, message: 'hi' });
    expect((await h.waitForStatus(first.id, 'completed', 'failed', 'stopped', 'budget_reached')).status).toBe('completed');
    const second = await budgetedSession(h);
    await h.runtime.start({ sessionId: second.id, message: 'hi again' });
    const done = await h.waitForStatus(second.id, 'budget_reached', 'stopped', 'completed', 'failed');
    expect(done.status).toBe('budget_reached');
    expect(done.error).toContain('monthly budget for all agents (1,200 of 1,500 tokens used)');
    expect(posts(h)).toHaveLength(1);
  });

  it('a schedule budget applies to scheduled runs only', async () => {
    h = await createHarness();
    const s = await budgetedSession(h);
    await h.repo.budgets.save({ scope: 'schedule', targetId: s.agentId, maxTokens: 10, maxUsd: null });
    h.server.push({ parts: [{ type: 'text', text: 'a run by hand' }] });
    await h.runtime.start({ sessionId: s.id, message: 'hi' });
    expect((await h.waitForStatus(s.id, 'completed', 'failed', 'stopped', 'budget_reached')).status).toBe('completed');
    expect(await h.repo.budgets.uses({ sessionId: s.id, agentId: s.agentId, now: new Date() })).toEqual([]);
  });

  it('usage the provider did not report is estimated, counted, and marked estimated', async () => {
    h = await createHarness();
    const s = await budgetedSession(h);
    await h.repo.budgets.save({ scope: 'session', targetId: s.id, maxTokens: 100_000, maxUsd: null });
    h.server.push({ parts: [{ type: 'text', text: 'x'.repeat(300) }], usage: null });
    await h.runtime.start({ sessionId: s.id, message: 'hello' });
    const done = await h.waitForStatus(s.id, 'completed', 'failed', 'stopped', 'budget_reached');
    expect(done.status).toBe('completed');
    const step = (await h.tree(s.id)).find((n) => n.kind === 'assistant_message')!;
    expect(step.metadata.usageEstimated).toBe(true);
    expect(step.tokensOut).toBe(100);
    expect(step.tokensIn).toBeGreaterThan(0);
    const [use] = await h.repo.budgets.uses({ sessionId: s.id, agentId: s.agentId, now: new Date() });
    expect(use).toMatchObject({ estimated: true, usedTokens: step.tokensIn + 100 });
  });

  it('estimates the input from the last reported count plus what was added since', () => {
    expect(estimateInput(300, null)).toBe(100);
    expect(estimateInput(900, { tokens: 1000, chars: 600 })).toBe(1100);
    expect(estimateInput(500, { tokens: 1000, chars: 600 })).toBe(1000);
  });
});
