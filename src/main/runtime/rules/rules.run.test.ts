// Approval rules in real runs (provider test server), the tester, and rules in agent export/import.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../ipc/events';
import { ImportsRepository } from '../../repositories/imports';
import { AgentsService, ApprovalRulesService } from '../../services';
import { createHarness, type Harness } from '../testing/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const shell = (command: string, id: string) => ({ parts: [{ type: 'tool_call' as const, name: 'run_shell', args: { command }, id }] });

describe('rules in a run', () => {
  it('deny beats allow; an allowed prefix runs without asking; a chained command still asks', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', builtinTools: ['run_shell'] });
    await h.rules.save({ scope: 'agent', targetId: s.agentId, toolName: 'run_shell', pattern: 'touch *', decision: 'allow', enabled: true });
    await h.rules.save({ scope: 'global', targetId: null, toolName: 'run_shell', pattern: 'touch secret*', decision: 'deny', enabled: true });
    h.server.push(shell('touch allowed.txt', 'a'), shell('touch secret.txt', 'b'), shell('touch x && touch chained.txt', 'c'));
    await h.runtime.start({ sessionId: s.id, message: 'go' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const actions = (await h.tree(s.id)).filter((n) => n.kind === 'action');
    expect(actions.map((a) => a.status)).toEqual(['complete', 'denied', 'pending_approval']);
    expect(actions[1]!.metadata).toMatchObject({ deniedBy: 'rule' });
    expect(fs.existsSync(path.join(h.workDir, 'allowed.txt'))).toBe(true);
    expect(fs.existsSync(path.join(h.workDir, 'secret.txt'))).toBe(false);
    await h.runtime.stop(s.id);
  });

  it('an unattended run denies a call that needs a human at once instead of waiting', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', builtinTools: ['run_shell'] });
    h.server.push(shell('touch nope.txt', 'a'), { parts: [{ type: 'text', text: 'Could not.' }] });
    await h.runtime.start({ sessionId: s.id, message: 'nightly', unattended: true });
    expect((await h.waitForStatus(s.id, 'completed', 'failed', 'stopped')).status).toBe('completed');
    const action = (await h.tree(s.id)).find((n) => n.kind === 'action')!;
    expect(action).toMatchObject({ status: 'denied', metadata: expect.objectContaining({ deniedBy: 'unattended' }) });
    expect(fs.existsSync(path.join(h.workDir, 'nope.txt'))).toBe(false);
  });

  it('approving with a rule saves a visible allow rule that the next call obeys', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', builtinTools: ['run_shell'] });
    h.server.push(shell('echo one', 'a'), shell('echo two', 'b'), { parts: [{ type: 'text', text: 'Done.' }] });
    await h.runtime.start({ sessionId: s.id, message: 'go' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const pending = (await h.tree(s.id)).find((n) => n.status === 'pending_approval')!;
    await h.runtime.approve({ nodeId: pending.id, scope: 'once', rule: { scope: 'agent', pattern: 'echo *' } });
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    expect(await h.rules.list('agent', s.agentId)).toMatchObject([{ toolName: 'run_shell', pattern: 'echo *', decision: 'allow', source: 'approval', enabled: true }]);
    expect(h.events.some((e) => e.event === 'rules.changed')).toBe(true);
  });

  it('the tester gives the decision a run would get, and names the rule', async () => {
    h = await createHarness();
    const agent = await h.repo.agents.create({ name: 'tested', accessiblePaths: [h.workDir], permissionMode: 'acceptEdits', builtinTools: ['run_shell', 'write_file'] });
    const service = new ApprovalRulesService({ rules: h.rules, agents: h.repo.agents, mcpServers: h.mcpServers });
    await service.save({ scope: 'agent', targetId: agent.id, toolName: 'write_file', pattern: 'secrets/**', decision: 'deny', enabled: true });
    expect(await service.test({ agentId: agent.id, toolName: 'write_file', args: { path: 'src/a.ts' } })).toMatchObject({ decision: 'allow', by: 'mode' });
    const denied = await service.test({ agentId: agent.id, toolName: 'write_file', args: { path: 'secrets/key' } });
    expect(denied).toMatchObject({ decision: 'deny', by: 'rule', rule: { pattern: 'secrets/**' } });
    expect(denied.reason).toContain('deny write_file secrets/**');
    expect(await service.test({ agentId: agent.id, toolName: 'run_shell', args: { command: 'ls' } })).toMatchObject({ decision: 'ask', by: 'mode' });
  });

  it('rules travel with an agent export and arrive turned off', async () => {
    h = await createHarness();
    const events = new EventBus({ error: () => undefined });
    const agents = new AgentsService({ agents: h.repo.agents, imports: new ImportsRepository(h.repo.client), events, rules: h.rules });
    const source = await agents.create({ name: 'exported', builtinTools: ['run_shell'] } as never);
    await h.rules.save({ scope: 'agent', targetId: source.id, toolName: 'run_shell', pattern: 'npm test*', decision: 'allow', enabled: true });
    const file = await agents.export(source.id);
    expect(file.rules).toEqual([{ toolName: 'run_shell', pattern: 'npm test*', decision: 'allow' }]);
    const copy = await agents.import({ data: file, onConflict: 'copy' } as never);
    expect(await h.rules.list('agent', copy.id)).toMatchObject([{ toolName: 'run_shell', pattern: 'npm test*', decision: 'allow', enabled: false, source: 'import' }]);
  });
});
