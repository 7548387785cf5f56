// Test-only helpers: a real migrated database with the repositories the import and export
// runners need, a session with a rich log tree, and a tree projection to compare round trips.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import type { LogNode } from '../../shared/domain.js';
import { LogsRepository, type ImportLogNode } from '../logs/index.js';
import { ImportsRepository } from '../repositories/imports.js';
import { InterchangeRepository } from '../repositories/interchange.js';
import { openRepoTestDb, type RepoTestDb } from '../repositories/testing.js';
import type { ExportDeps } from './export/index.js';
import type { ImportDeps } from './import/index.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface InterchangeTestDb extends RepoTestDb {
  logs: LogsRepository;
  interchange: InterchangeRepository;
  importDeps: ImportDeps;
  exportDeps: ExportDeps;
  dir: string;
  close(): Promise<void>;
}

export async function openInterchangeDb(): Promise<InterchangeTestDb> {
  const r = await openRepoTestDb();
  const logs = new LogsRepository(r.client);
  const interchange = new InterchangeRepository(r.client);
  const imports = new ImportsRepository(r.client);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-interchange-'));
  return {
    ...r,
    logs,
    interchange,
    dir,
    importDeps: { client: r.client, imports, agents: r.agents, interchange },
    exportDeps: { client: r.client, sessions: r.sessions, agents: r.agents, interchange },
    close: async () => {
      await r.db.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers hooks that give each test two databases, `a` (where a session is exported from) and
 * `b` (where it is imported into), handed to `set`, and close both after the test.
 */
export function eachTestDbPair(set: (a: InterchangeTestDb, b: InterchangeTestDb) => void): void {
  let pair: InterchangeTestDb[] = [];
  beforeEach(async () => {
    pair = await Promise.all([openInterchangeDb(), openInterchangeDb()]);
    set(pair[0]!, pair[1]!);
  });
  afterEach(async () => {
    await Promise.all(pair.map((db) => db.close()));
  });
}

const T0 = Date.parse('2026-01-05T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** Two turns: thinking, text with streamed chunks, tool calls with results, a sub-agent, an error. */
export function richTree(): ImportLogNode[] {
  return [
    { id: 'u1', kind: 'user_message', role: 'user', content: 'List the files and summarise README.md', startedAt: at(0), endedAt: at(0) },
    { id: 's1', parentId: 'u1', kind: 'assistant_message', role: 'assistant', content: 'Let me look.', model: 'gpt-test', provider: 'openai', tokensIn: 120, tokensOut: 30, tokensReasoning: 12, costUsd: 0.0012, startedAt: at(10), endedAt: at(900), metadata: { step: 1, tokensCached: 40, finishReason: 'tool-calls' }, chunks: [{ text: 'Let ', atMs: 5 }, { text: 'me look.', atMs: 60 }] },
    { id: 't1', parentId: 's1', kind: 'thought', role: 'reasoning', content: 'Start with a listing.', startedAt: at(11), endedAt: at(40) },
    { id: 'a1', parentId: 's1', kind: 'action', role: 'assistant', toolName: 'list_directory', toolArgs: { path: '.' }, startedAt: at(50), endedAt: at(120), durationMs: 70, metadata: { toolCallId: 'call_1', ran: true } },
    { id: 'o1', parentId: 'a1', causeId: 'a1', kind: 'observation', role: 'tool', toolName: 'list_directory', content: 'README.md\nsrc/', startedAt: at(120), endedAt: at(120), metadata: { isError: false, chars: 14 } },
    { id: 'a2', parentId: 's1', kind: 'action', role: 'assistant', toolName: 'delegate', toolArgs: { task: 'summarise README.md' }, startedAt: at(130), endedAt: at(800), durationMs: 670, metadata: { toolCallId: 'call_2', ran: true } },
    { id: 'su', parentId: 'a2', kind: 'user_message', role: 'user', content: 'summarise README.md', startedAt: at(140), endedAt: at(140), metadata: { subagent: { name: 'reader' } } },
    { id: 'ss', parentId: 'su', kind: 'assistant_message', role: 'assistant', content: 'It describes Paddock.', model: 'gpt-mini', provider: 'openai', tokensIn: 50, tokensOut: 8, startedAt: at(150), endedAt: at(700) },
    { id: 'o2', parentId: 'a2', causeId: 'a2', kind: 'observation', role: 'tool', toolName: 'delegate', content: 'It describes Paddock.', startedAt: at(800), endedAt: at(800) },
    { id: 's2', parentId: 'u1', kind: 'assistant_message', role: 'assistant', content: 'README.md describes Paddock; src/ holds the code.', model: 'gpt-test', provider: 'openai', tokensIn: 200, tokensOut: 20, startedAt: at(900), endedAt: at(1200), metadata: { step: 2 } },
    { id: 'u2', kind: 'user_message', role: 'user', content: 'Run the tests', startedAt: at(5000), endedAt: at(5000) },
    { id: 's3', parentId: 'u2', kind: 'assistant_message', role: 'assistant', content: '', model: 'gpt-test', provider: 'openai', startedAt: at(5010), endedAt: at(5100) },
    { id: 'a3', parentId: 's3', kind: 'action', role: 'assistant', status: 'denied', toolName: 'run_command', toolArgs: { command: 'npm test' }, startedAt: at(5050), endedAt: at(5090), metadata: { toolCallId: 'call_3', denyReason: 'not now' } },
    { id: 'e1', parentId: 'u2', kind: 'error', role: 'system', status: 'error', content: 'Provider said: rate limited', startedAt: at(5200), endedAt: at(5200), metadata: { error: 'rate limited' } },
  ];
}

/** A session of a new agent holding richTree(); returns its id. */
export async function seedRichSession(db: InterchangeTestDb, name = 'Rich session'): Promise<string> {
  const agent = await db.agents.create({ name: `Agent of ${name}` });
  const session = await db.sessions.create({ agentId: agent.id, name });
  await db.logs.importNodes(session.id, richTree());
  return session.id;
}

/** What "the same tree" means across formats: shape, kinds, text, tools, times. */
export function treeShape(nodes: LogNode[]): unknown[] {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  return nodes.map((n) => ({
    parent: n.parentId === null ? null : index.get(n.parentId),
    cause: n.causeId === null ? null : index.get(n.causeId),
    seq: n.seq, depth: n.depth, kind: n.kind, role: n.role, status: n.status, content: n.content, model: n.model,
    tokensIn: n.tokensIn, tokensOut: n.tokensOut, toolName: n.toolName, toolArgs: n.toolArgs, startedAt: n.startedAt, endedAt: n.endedAt,
  }));
}
