// What the log says about a tool call's execution: who approved it and how long it ran (the
// result row shows the execution time, not the instant it took to write the result down).
import { afterEach, describe, expect, it } from 'vitest';
import type { LogNode } from '../../shared/domain';
import { createHarness, type Harness } from './testing/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const byKind = (nodes: LogNode[], kind: LogNode['kind']) => nodes.filter((n) => n.kind === kind);

describe('tool calls in the log', () => {
  it('record who approved them and the shell command’s real duration', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask' });
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'sleep 0.3' } }] },
      { parts: [{ type: 'tool_call', name: 'run_shell', args: { command: 'true' } }] },
      { parts: [{ type: 'tool_call', name: 'read_file', args: { path: 'missing.txt' } }] },
      { parts: [{ type: 'text', text: 'done' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'run it' });
    await h.waitForStatus(s.id, 'waiting_for_user_input');
    await h.runtime.approve({ nodeId: byKind(await h.tree(s.id), 'action')[0]!.id, scope: 'session' });
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');

    const nodes = await h.tree(s.id);
    const [asked, byRule, readOnly] = byKind(nodes, 'action');
    expect(asked!.metadata).toMatchObject({ approvedBy: 'user', approvalScope: 'session' });
    expect(byRule!.metadata).toMatchObject({ approvedBy: 'rule' });
    expect(readOnly!.metadata).toMatchObject({ approvedBy: 'read_only_tool' });
    // The call holds the execution time (its result row shows it: see nodeMetrics).
    expect(asked!.durationMs).toBeGreaterThanOrEqual(250);
  });
});
