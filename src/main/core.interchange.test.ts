// The interchange channels through the core's dispatcher: a real database in a temp folder,
// progress events, cancel by job id, "Find histories" on a fake home folder.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryCandidate, InterchangeExportResult, InterchangeImportResult } from '../shared/ipc';
import { call, coreTestKit } from './testing';
import { FIXTURES } from './interchange/testing';
import { discoverHistories } from './interchange/discover';

const { openCore, tempDir } = coreTestKit();

describe('interchange through the core', () => {
  it('imports a file with progress and change events, then exports it beside the database', async () => {
    const core = await openCore();
    const events: [string, unknown][] = [];
    core.subscribe((event, payload) => events.push([event, payload]));
    const file = path.join(FIXTURES, 'claude-code', 'multi-tool-session.jsonl');
    const r = await call<InterchangeImportResult>(core, 'interchange.importFile', { jobId: 'imp1', path: file });
    expect(r).toMatchObject({ format: 'claude-code', createdAgent: true });
    expect(events).toContainEqual(['interchange.progress', expect.objectContaining({ jobId: 'imp1', kind: 'import', phase: 'done' })]);
    expect(events).toContainEqual(['sessions.changed', { sessionId: r.sessionId, agentId: r.agentId, change: 'imported' }]);
    expect(events).toContainEqual(['agents.changed', { agentId: r.agentId, change: 'imported' }]);
    expect(await call(core, 'interchange.source', { sessionId: r.sessionId })).toMatchObject({ format: 'claude-code', file });

    const out = await call<InterchangeExportResult>(core, 'interchange.export', { jobId: 'exp1', scope: { sessionId: r.sessionId }, format: 'markdown' });
    expect(out.path.startsWith(path.join(core.dataDir!, 'exports'))).toBe(true);
    expect(fs.readFileSync(out.path, 'utf8')).toContain('# Fix failing forecast parser test');
  });

  it('refuses a missing file and a bad job id with typed errors, and cancel of an unknown job says so', async () => {
    const core = await openCore();
    expect(await core.dispatch('interchange.importFile', { jobId: 'j', path: '/nonexistent/file.jsonl' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await core.dispatch('interchange.importFile', { jobId: 'bad id!', path: '/x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call(core, 'interchange.cancel', { jobId: 'nothing' })).toEqual({ cancelled: false });
  });

  it('imports text sent from the browser with its line errors', async () => {
    const core = await openCore();
    const text = fs.readFileSync(path.join(FIXTURES, 'claude-code', 'multi-tool-session.jsonl'), 'utf8');
    const ok = await call<InterchangeImportResult>(core, 'interchange.importText', { jobId: 't0', fileName: 'multi-tool-session.jsonl', text });
    // 3 user messages (one in the sidechain), 9 assistant steps, 1 thought, 6 calls, 6 results.
    expect(ok).toMatchObject({ format: 'claude-code', nodes: 25 });
    const bad = await core.dispatch('interchange.importText', { jobId: 't1', fileName: 'x.jsonl', text: '{"type":"RUN_STARTED","threadId":"t","runId":"r"}\nnot json', format: 'ag-ui' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^Line 2:/), details: { line: 2 } } });
  });
});

describe('Find histories', () => {
  it('lists Claude Code and Codex files by name and size without opening them', async () => {
    const home = tempDir('paddock-home-');
    const project = path.join(home, '.claude', 'projects', '-home-dana-weather');
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(path.join(project, '7f3c9a2e-5b1d-4c8e-9f00-2a6b8d4e1c33.jsonl'), '{}\n');
    fs.writeFileSync(path.join(project, 'agent-1234.jsonl'), '{}\n');
    const day = path.join(home, '.codex', 'sessions', '2025', '11', '21');
    fs.mkdirSync(day, { recursive: true });
    fs.writeFileSync(path.join(day, 'rollout-2025-11-21T14-02-10-abc.jsonl'), '{}\n');
    fs.writeFileSync(path.join(day, 'notes.txt'), 'x');
    // A file that cannot be read is still listed: nothing is opened.
    fs.chmodSync(path.join(day, 'rollout-2025-11-21T14-02-10-abc.jsonl'), 0o000);
    const { candidates, roots } = await discoverHistories({ home, env: {} });
    expect(roots.map((r) => r.path)).toEqual([path.join(home, '.claude'), path.join(home, '.codex')]);
    expect(candidates.map((c: HistoryCandidate) => [c.format, path.basename(c.path), c.group]).sort()).toEqual([
      ['claude-code', '7f3c9a2e-5b1d-4c8e-9f00-2a6b8d4e1c33.jsonl', '/home/dana/weather'],
      ['codex', 'rollout-2025-11-21T14-02-10-abc.jsonl', '2025-11-21'],
    ]);
  });

  it('finds nothing (and fails nothing) when the folders do not exist', async () => {
    expect(await discoverHistories({ home: tempDir('paddock-empty-'), env: {} })).toMatchObject({ candidates: [] });
  });
});
