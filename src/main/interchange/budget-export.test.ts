// A session a budget stopped, exported in every format: Paddock JSON keeps `budget_reached` (and
// imports back to it), Markdown names the status and why, OpenTelemetry marks the budget node's
// span, AG-UI carries the node with its reason. The run is real (provider test server).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionExportSchema } from '../../shared/ipc';
import { InterchangeRepository } from '../repositories/interchange';
import { createHarness, type Harness } from '../runtime/testing/harness';
import { runExport } from './export/index';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const toolTurn = (n: number) => ({ parts: [{ type: 'tool_call' as const, name: 'list_directory', args: { path: '.' }, id: `call-${n}` }], usage: { input: 1000, output: 200 } });

describe('exports of a budget-stopped session', () => {
  it('map budget_reached in each format', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'ask', builtinTools: ['list_directory'], settings: { maxOutputTokens: 200 } });
    await h.repo.budgets.save({ scope: 'session', targetId: s.id, maxTokens: 1300, maxUsd: null });
    h.server.push(toolTurn(1), { parts: [{ type: 'text', text: 'never sent' }] });
    await h.runtime.start({ sessionId: s.id, message: 'look around' });
    const done = await h.waitForStatus(s.id, 'budget_reached', 'stopped', 'completed', 'failed');
    expect(done.status).toBe('budget_reached');
    await h.tree(s.id);
    const deps = { client: h.repo.client, sessions: h.repo.sessions, agents: h.repo.agents, interchange: new InterchangeRepository(h.repo.client) };
    const dir = path.join(h.workDir, 'exports');
    const read = async (format: 'markdown' | 'otlp' | 'ag-ui' | 'paddock') => fs.readFileSync((await runExport(deps, { sessionId: s.id }, format, path.join(dir, format))).path, 'utf8');

    const paddock = sessionExportSchema.parse(JSON.parse(await read('paddock')));
    expect(paddock.session.status).toBe('budget_reached');
    expect(await read('markdown')).toContain(`- Status: budget reached — ${done.error}`);
    const spans = (await read('otlp'))
      .trim()
      .split('\n')
      .flatMap((line) => (JSON.parse(line) as { resourceSpans: { scopeSpans: { spans: { attributes: { key: string; value: { stringValue?: string } }[]; status: { code: number } }[] }[] }[] }).resourceSpans)
      .flatMap((r) => r.scopeSpans.flatMap((x) => x.spans));
    const marked = spans.filter((sp) => sp.attributes.some((a) => a.key === 'error.type' && a.value.stringValue === 'budget_reached'));
    expect(marked).toHaveLength(1);
    expect(marked[0]!.status.code).toBe(2);
    expect(await read('ag-ui')).toMatch(/"reason":"budget_reached"/);
  });
});
