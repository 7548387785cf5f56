import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createHarness, type Harness } from './testing/harness';
import { byKind, requestBody, until } from './testing/runnerTest';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const body = (i: number) => requestBody(h!, i);

describe('permission modes in a run', () => {
  it('readOnly refuses side effects without asking and tells the model', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'readOnly' });
    fs.writeFileSync(path.join(h.workDir, 'a.txt'), 'content of a');
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'read_file', args: { path: 'a.txt' } }, { type: 'tool_call', name: 'write_file', args: { path: 'b.txt', content: 'x' } }] },
      { parts: [{ type: 'text', text: 'I cannot write.' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'copy a to b' });
    expect((await h.waitForStatus(s.id, 'completed', 'failed', 'waiting_for_user_input')).status).toBe('completed');
    const actions = byKind(await h.tree(s.id), 'action');
    expect(actions.map((a) => a.status)).toEqual(['complete', 'denied']);
    expect(fs.existsSync(path.join(h.workDir, 'b.txt'))).toBe(false);
    expect(body(1)).toContain('content of a');
    expect(body(1)).toContain('read-only mode');
  });

  it('acceptEdits runs file edits at once; bypassPermissions runs shell commands', async () => {
    h = await createHarness();
    const edits = await h.newSession({ permissionMode: 'acceptEdits' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'e.txt', content: 'e' } }] }, { parts: [{ type: 'text', text: 'ok' }] });
    await h.runtime.start({ sessionId: edits.id, message: 'edit' });
    expect((await h.waitForStatus(edits.id, 'completed', 'waiting_for_user_input')).status).toBe('completed');
    expect(fs.readFileSync(path.join(h.workDir, 'e.txt'), 'utf8')).toBe('e');

    const bypass = await h.newSession({ permissionMode: 'bypassPermissions' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'echo shell-ran > s.txt' } }] }, { parts: [{ type: 'text', text: 'ok' }] });
    await h.runtime.start({ sessionId: bypass.id, message: 'shell' });
    expect((await h.waitForStatus(bypass.id, 'completed', 'waiting_for_user_input')).status).toBe('completed');
    expect(fs.readFileSync(path.join(h.workDir, 's.txt'), 'utf8').trim()).toBe('shell-ran');
  });

  it('"always allow for this session" is remembered; "for this agent" reaches its other sessions', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'one.txt', content: '1' } }] },
      { parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'two.txt', content: '2' } }] },
      { parts: [{ type: 'text', text: 'both written' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'write two files' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    await h.runtime.approve({ nodeId: byKind(await h.tree(s.id), 'action')[0]!.id, scope: 'session' });
    expect((await h.waitForStatus(s.id, 'completed', 'waiting_for_user_input')).status).toBe('completed');
    expect(fs.existsSync(path.join(h.workDir, 'two.txt'))).toBe(true);
    expect((await h.rules.list('session', s.id)).map((r) => r.toolName)).toEqual(['write_file']);

    // Agent scope: a second session of the same agent does not ask again.
    const a = await h.newSession({ permissionMode: 'ask' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'true' } }] }, { parts: [{ type: 'text', text: 'ok' }] });
    await h.runtime.start({ sessionId: a.id, message: 'x' });
    await h.waitForStatus(a.id, 'waiting_for_user_input');
    await h.runtime.approve({ nodeId: byKind(await h.tree(a.id), 'action')[0]!.id, scope: 'agent' });
    await h.waitForStatus(a.id, 'completed');
    const again = await h.repo.sessions.create({ agentId: a.agentId, name: 'second' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'true' } }] }, { parts: [{ type: 'text', text: 'ok' }] });
    await h.runtime.start({ sessionId: again.id, message: 'y' });
    expect((await h.waitForStatus(again.id, 'completed', 'waiting_for_user_input')).status).toBe('completed');
  });

  it('unattended runs deny a waiting call after the timeout instead of hanging', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', settings: { approvalTimeoutMs: 50 } });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch nope' } }] }, { parts: [{ type: 'text', text: 'skipped' }] });
    await h.runtime.start({ sessionId: s.id, message: 'nightly job', unattended: true });
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    const action = byKind(await h.tree(s.id), 'action')[0]!;
    expect(action).toMatchObject({ status: 'denied', metadata: expect.objectContaining({ deniedBy: 'timeout' }) });
    expect(fs.existsSync(path.join(h.workDir, 'nope'))).toBe(false);
    expect(body(1)).toContain('unattended');
  });

  it('an unattended run waiting for approval when the app stops is denied at its deadline after the restart, and goes on unattended', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', settings: { approvalTimeoutMs: 60_000 } });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch nope' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'nightly job', unattended: true });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const pending = byKind(await h.tree(s.id), 'action')[0]!;
    const deadline = Date.parse(String(pending.metadata.approvalDeadline));
    expect(deadline - Date.now()).toBeGreaterThan(50_000);
    await h.runtime.close();

    const { runtime: runtime2 } = await h.restart();
    // Before its deadline nothing happens (and a shutdown drops the timer); once it has passed,
    // the call is denied as timed out.
    expect(await runtime2.resumeUnattendedApprovals(deadline - 10_000)).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.repo.sessions.get(s.id)).status).toBe('waiting_for_user_input');
    // The continuation asks about another call: being unattended, that question has a deadline too.
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch again' } }] });
    await runtime2.close();
    const { runtime: runtime3, writer: writer3 } = await h.restart();
    expect(await runtime3.resumeUnattendedApprovals(deadline + 1)).toBe(1);
    const second = await until(async () => {
      await writer3.flush();
      const actions = byKind(await h!.logs.tree(s.id), 'action');
      return actions.length === 3 && actions[2]!.status === 'pending_approval' ? actions : null;
    });
    const actions = second;
    expect(actions.map((a) => [a.status, a.metadata.deniedBy])).toEqual([
      ['interrupted', undefined],
      ['denied', 'timeout'],
      ['pending_approval', undefined],
    ]);
    expect(actions[1]!.causeId).toBe(pending.id);
    expect(typeof second[2]!.metadata.approvalDeadline).toBe('string');
    expect(body(1)).toContain('unattended');
    await runtime3.stop(s.id);
    expect(fs.existsSync(path.join(h.workDir, 'nope'))).toBe(false);
    expect(fs.existsSync(path.join(h.workDir, 'again'))).toBe(false);
  });

  it("a user's answer before a restored deadline wins; the deadline then does nothing", async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', settings: { approvalTimeoutMs: 60_000 } });
    h.server.push({ parts: [{ type: 'tool_call', name: 'write_file', args: { path: 'ok.txt', content: 'ok' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'nightly job', unattended: true });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const pending = byKind(await h.tree(s.id), 'action')[0]!;
    await h.runtime.close();
    const { runtime: runtime2 } = await h.restart();
    const deadline = Date.parse(String(pending.metadata.approvalDeadline));
    expect(await runtime2.resumeUnattendedApprovals(deadline - 300)).toBe(1);
    h.server.push({ parts: [{ type: 'text', text: 'written' }] });
    await runtime2.approve({ nodeId: pending.id, scope: 'once' });
    await runtime2.idle(s.id);
    await new Promise((r) => setTimeout(r, 400));
    expect((await h.repo.sessions.get(s.id)).status).toBe('completed');
    expect(fs.readFileSync(path.join(h.workDir, 'ok.txt'), 'utf8')).toBe('ok');
    expect(h.server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it("a user's run waiting for approval gets no deadline: after a restart it waits for that user", async () => {
    h = await createHarness({ runtime: { isUiAttached: () => false, unattendedApprovalTimeoutMs: 60_000 } });
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push({ parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'touch x' } }] });
    await h.runtime.start({ sessionId: s.id, message: 'by hand' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    const pending = byKind(await h.tree(s.id), 'action')[0]!;
    expect(pending.metadata.approvalDeadline).toBeUndefined();
    await h.runtime.close();
    const { runtime: runtime2 } = await h.restart();
    expect(await runtime2.resumeUnattendedApprovals(Date.now() + 3_600_000)).toBe(0);
  });
});
