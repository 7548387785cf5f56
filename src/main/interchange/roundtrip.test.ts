// Round trips on real databases: Paddock JSON export -> import -> export is identical; AG-UI and
// OTLP export -> import give the same tree. Plus the Markdown transcript and export cancel.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionExportSchema } from '../../shared/ipc/export-format.js';
import { runExport } from './export/index.js';
import { runImport } from './import/index.js';
import { eachTestDbPair, seedRichSession, treeShape, type InterchangeTestDb } from './testing.js';
import type { ExportFormat, Progress } from './types.js';

let a: InterchangeTestDb;
let b: InterchangeTestDb;
eachTestDbPair((x, y) => {
  a = x;
  b = y;
});

const fixedNow = () => new Date('2026-02-01T00:00:00.000Z');

async function exportOne(db: InterchangeTestDb, sessionId: string, format: ExportFormat, sub: string) {
  return runExport(db.exportDeps, { sessionId }, format, path.join(db.dir, sub), { now: fixedNow });
}

describe('Paddock JSON', () => {
  it('export -> import into another database -> export gives the identical file', async () => {
    const id = await seedRichSession(a);
    const first = await exportOne(a, id, 'paddock', 'out1');
    // The streamed file is the same document sessions.export describes.
    const doc = sessionExportSchema.parse(JSON.parse(fs.readFileSync(first.path, 'utf8')));
    expect(doc.nodes).toHaveLength(14);
    expect(doc.chunks).toHaveLength(2);
    const imported = await runImport(b.importDeps, { path: first.path });
    expect(imported).toMatchObject({ sessionId: id, format: 'paddock', nodes: 14 });
    const second = await exportOne(b, id, 'paddock', 'out2');
    expect(fs.readFileSync(second.path, 'utf8')).toBe(fs.readFileSync(first.path, 'utf8'));
    expect(await b.interchange.source(id)).toMatchObject({ format: 'paddock', sourceId: id });
  });

  it('importing into the same database makes a copy with fresh ids and the same tree', async () => {
    const id = await seedRichSession(a);
    const file = (await exportOne(a, id, 'paddock', 'out')).path;
    const copy = await runImport(a.importDeps, { path: file });
    expect(copy.sessionId).not.toBe(id);
    expect(treeShape(await a.logs.tree(copy.sessionId))).toEqual(treeShape(await a.logs.tree(id)));
  });

  it('a node line the schema refuses is named by its line number', async () => {
    const id = await seedRichSession(a);
    const lines = fs.readFileSync((await exportOne(a, id, 'paddock', 'out')).path, 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/"kind":"[a-z_]+"/, '"kind":"spell"');
    await expect(runImport(b.importDeps, { text: lines.join('\n') })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^Line 4: not a log node \(kind: /), details: { line: 4 } });
  });

  it('a file truncated mid-way is refused and nothing is kept', async () => {
    const id = await seedRichSession(a);
    const text = fs.readFileSync((await exportOne(a, id, 'paddock', 'out')).path, 'utf8');
    const cut = text.split('\n').slice(0, 8).join('\n');
    await expect(runImport(b.importDeps, { text: cut })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/truncated/) });
    const rs = await b.client.execute('SELECT (SELECT count(*) FROM sessions) AS s, (SELECT count(*) FROM agents) AS g');
    expect(rs.rows[0]).toMatchObject({ s: 0, g: 0 });
  });
});

describe.each(['ag-ui', 'otlp'] as const)('%s', (format) => {
  it('export -> import gives the same tree', async () => {
    const id = await seedRichSession(a);
    const file = (await exportOne(a, id, format, 'out')).path;
    const r = await runImport(b.importDeps, { path: file });
    expect(r.format).toBe(format);
    const before = await a.logs.tree(id);
    const after = await b.logs.tree(r.sessionId);
    expect(treeShape(after)).toEqual(treeShape(before));
    // Node metadata (tool call ids, usage details) comes back too.
    expect(after.map((n) => n.metadata)).toEqual(before.map((n) => n.metadata));
    if (format === 'ag-ui') expect(await b.logs.chunksOfSession(r.sessionId)).toHaveLength(2);
  });
});

describe('AG-UI export', () => {
  it('speaks the current event names, attributes sub-agent events and closes every run', async () => {
    const id = await seedRichSession(a);
    const events = fs.readFileSync((await exportOne(a, id, 'ag-ui', 'out')).path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'RUN_STARTED')).toHaveLength(2);
    expect(types.filter((t) => t === 'RUN_FINISHED')).toHaveLength(2);
    for (const t of ['TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'TOOL_CALL_RESULT', 'REASONING_START', 'REASONING_MESSAGE_START', 'REASONING_MESSAGE_CONTENT', 'REASONING_MESSAGE_END', 'REASONING_END', 'STEP_STARTED', 'STEP_FINISHED', 'SUBAGENT_STARTED', 'SUBAGENT_FINISHED']) {
      expect(types, t).toContain(t);
    }
    const sub = events.find((e) => e.type === 'SUBAGENT_STARTED')!;
    expect(sub).toMatchObject({ name: 'reader', parentToolCallId: 'call_2' });
    expect(events.filter((e) => e.subagentRunId === sub.subagentRunId).length).toBeGreaterThan(3);
    expect(events.find((e) => e.type === 'RUN_FINISHED')).toMatchObject({ usage: [{ model: 'gpt-test', inputTokens: 320, outputTokens: 50 }, { model: 'gpt-mini', inputTokens: 50 }] });
  });
});

describe('OTLP export', () => {
  it('writes GenAI spans of semantic conventions 1.37.0', async () => {
    const id = await seedRichSession(a);
    const lines = fs.readFileSync((await exportOne(a, id, 'otlp', 'out')).path, 'utf8').trim().split('\n');
    const spans = lines.flatMap((l) => (JSON.parse(l) as { resourceSpans: { scopeSpans: { schemaUrl: string; spans: { name: string; attributes: { key: string }[] }[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => {
      expect(s.schemaUrl).toBe('https://opentelemetry.io/schemas/1.37.0');
      return s.spans;
    })));
    expect(spans.map((s) => s.name).sort()).toEqual(['chat gpt-mini', 'chat gpt-test', 'chat gpt-test', 'chat gpt-test', 'execute_tool delegate', 'execute_tool list_directory', 'execute_tool run_command', 'invoke_agent Agent of Rich session', 'invoke_agent Agent of Rich session', 'invoke_agent Agent of Rich session', 'paddock.error'].sort());
    const chat = spans.find((s) => s.name === 'chat gpt-test')!;
    expect(chat.attributes.map((x) => x.key)).toEqual(expect.arrayContaining(['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.usage.input_tokens', 'gen_ai.output.messages']));
  });
});

describe('Markdown export', () => {
  it('folds tool calls and results, marks thinking and shows usage per step', async () => {
    const id = await seedRichSession(a);
    const md = fs.readFileSync((await exportOne(a, id, 'markdown', 'out')).path, 'utf8');
    expect(md).toMatch(/^# Rich session\n/);
    expect(md).toContain('## Turn 1 — user');
    expect(md).toContain('<summary>💭 Thinking</summary>');
    expect(md).toContain('<summary>🔧 Tool call: <code>list_directory</code> · 70 ms</summary>');
    expect(md).toContain('<summary>📋 Result of <code>list_directory</code></summary>');
    expect(md).toContain('_Usage: 120 in · 30 out · 12 reasoning · 40 cached · $0.0012_');
    expect(md).toMatch(/^> \*\*Sub-agent prompt\*\*/m);
    expect(md).toContain('> **Error:** Provider said: rate limited');
  });
});

describe('several sessions, progress and cancel', () => {
  it('exports an agent with its sessions, one file each, reporting progress', async () => {
    await seedRichSession(a, 'One');
    await seedRichSession(a, 'Two');
    const seen: Progress[] = [];
    const r = await runExport(a.exportDeps, { all: true }, 'ag-ui', path.join(a.dir, 'all'), { onProgress: (p) => seen.push(p) });
    expect(r.files).toBe(2);
    expect(fs.readdirSync(r.path)).toHaveLength(2);
    expect(seen.at(-1)).toMatchObject({ phase: 'done', nodes: 28 });
  });

  it('a cancelled export leaves no file', async () => {
    const id = await seedRichSession(a);
    const ctl = new AbortController();
    ctl.abort();
    const dir = path.join(a.dir, 'cancelled');
    await expect(runExport(a.exportDeps, { sessionId: id }, 'paddock', dir, { signal: ctl.signal })).rejects.toMatchObject({ details: { cancelled: true } });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
