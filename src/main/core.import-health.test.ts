// An import must leave storage healthy: after bringing in a session of every format (which
// hold text-less entries — a step that only calls tools, an empty message), the storage deep
// check finds nothing wrong. It used to report a damaged search index after every such import,
// because the index's content view listed rows the index leaves out (migration 0120).
import path from 'node:path';
import { expect, it } from 'vitest';
import type { SessionWithConfig, Agent } from '../shared/domain';
import type { StorageHealth } from '../shared/ipc';
import { call, coreTestKit } from './testing';

const { openCore } = coreTestKit();
const FIXTURES = path.join(import.meta.dirname, 'interchange', 'fixtures');

it('importing every foreign format, and a log with empty entries, leaves the deep check clean', async () => {
  const core = await openCore();
  for (const file of [
    'claude-code/multi-tool-session.jsonl',
    'claude-code/with-subagents.jsonl',
    'codex/rollout-2025-11-21T14-02-10-019a6c2e-7d4b-7a10-b2f3-5c1e9d0a4b77.jsonl',
    'ag-ui/multi-tool-run.jsonl',
    'otlp/genai-agent-trace.otlp.jsonl',
  ]) {
    await call(core, 'interchange.importFile', { jobId: `import-${path.basename(file).replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 50)}`, path: path.join(FIXTURES, file) });
  }
  const agent = await call<Agent>(core, 'agents.create', { name: 'Empty entries' });
  const s = await call<SessionWithConfig>(core, 'sessions.create', { agentId: agent.id });
  await core.logs.importNodes(s.id, [
    { id: 'step', parentId: null, kind: 'assistant_message', content: '', startedAt: '2026-01-01T00:00:00.000Z' },
    { id: 'said', parentId: 'step', kind: 'assistant_message', content: 'findable words', startedAt: '2026-01-01T00:00:01.000Z' },
  ]);
  const health = await call<StorageHealth>(core, 'storage.checkNow');
  expect(health).toMatchObject({ state: 'ok', problems: [] });
  const hits = await call<unknown[]>(core, 'logs.search', { query: 'findable', sessionId: s.id });
  expect(hits).toHaveLength(1);
});
