// Import runner: a file (or text) in one of the five formats becomes one session, all or
// nothing. A Paddock file keeps its agent and ids (see services/session-import.ts); a file from
// another tool goes under a holder agent for that tool, created without a model or tools and in
// read-only mode, so nothing imported can act until the user configures it. Tool calls in an
// imported log are records: nothing ever runs them again.
import path from 'node:path';
import type { Client } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import type { LogNode, Session } from '../../../shared/domain.js';
import { PaddockError } from '../../../shared/ipc/result.js';
import { LogsError } from '../../logs/errors.js';
import { StreamedSessionImport, type SessionFinish, type StreamNode } from '../../logs/stream-import.js';
import type { AgentsRepository } from '../../repositories/agents.js';
import type { ImportsRepository } from '../../repositories/imports.js';
import type { InterchangeRepository } from '../../repositories/interchange.js';
import { prepareSessionImport } from '../../services/session-import.js';
import { cancelled } from '../errors.js';
import { openLines, type ImportSource } from '../lines.js';
import { TURN_END, type ForeignTranscript, type ImportFormat, type Progress } from '../types.js';
import { later } from '../values.js';
import { readAgui } from './agui.js';
import { readClaudeCode } from './claude-code.js';
import { subagentFilesBeside } from './claude-subagents.js';
import { readCodex } from './codex.js';
import { detectFormat } from './detect.js';
import { readOtlp } from './otlp.js';
import { openPaddock } from './paddock.js';

export const HOLDER_AGENT_NAMES: Record<Exclude<ImportFormat, 'paddock'>, string> = {
  'claude-code': 'Imported from Claude Code',
  codex: 'Imported from Codex CLI',
  'ag-ui': 'Imported AG-UI runs',
  otlp: 'Imported OpenTelemetry traces',
};

export interface ImportDeps {
  client: Pick<Client, 'transaction'>;
  imports: ImportsRepository;
  agents: Pick<AgentsRepository, 'create' | 'purge'>;
  interchange: Pick<InterchangeRepository, 'agentByName' | 'sessionFromSource'>;
}

export interface ImportOptions {
  format?: ImportFormat;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Import again even when the same foreign session is already here (default: CONFLICT). */
  allowDuplicate?: boolean;
  /** A name for the source in messages and the session's source record (defaults to the path). */
  label?: string;
}

export interface ImportResult {
  sessionId: string;
  agentId: string;
  format: ImportFormat;
  nodes: number;
  /** A holder agent was created for this import. */
  createdAgent: boolean;
}

class Reporter {
  #last = 0;
  constructor(
    private readonly opts: ImportOptions,
    private readonly bytes: () => number,
    private readonly total: number | null,
  ) {}

  tick(nodes: number): void {
    if (this.opts.signal?.aborted) throw cancelled('import');
    if ((nodes & 1023) !== 0) return;
    const now = Date.now();
    if (now - this.#last < 100) return;
    this.#last = now;
    this.opts.onProgress?.({ phase: 'writing', nodes, bytes: this.bytes(), totalBytes: this.total });
  }
}

export async function runImport(deps: ImportDeps, source: ImportSource, opts: ImportOptions = {}): Promise<ImportResult> {
  const format = opts.format ?? (await detectFormat((await openLines(source)).lines));
  const reader = await openLines(source);
  const reporter = new Reporter(opts, reader.bytesRead, reader.totalBytes);
  const file = opts.label ?? ('path' in source ? source.path : null);
  opts.onProgress?.({ phase: 'reading', nodes: 0, bytes: 0, totalBytes: reader.totalBytes });
  const result = format === 'paddock' ? await importPaddock(deps, reader.lines, source, file, reporter) : await importForeign(deps, format, foreign(format, reader.lines, source), file, opts, reporter);
  opts.onProgress?.({ phase: 'done', nodes: result.nodes, bytes: reader.totalBytes ?? 0, totalBytes: reader.totalBytes });
  return result;
}

function foreign(format: Exclude<ImportFormat, 'paddock'>, lines: AsyncIterable<{ text: string; no: number }>, source: ImportSource): ForeignTranscript {
  switch (format) {
    case 'claude-code':
      return readClaudeCode(lines, 'path' in source ? subagentFilesBeside(source.path) : null);
    case 'codex':
      return readCodex(lines);
    case 'ag-ui':
      return readAgui(lines);
    case 'otlp':
      return readOtlp(lines, source);
  }
}

/** A log-store refusal (bad tree) is the file's fault: a VALIDATION error, not INTERNAL. */
function asInputError(e: unknown): unknown {
  return e instanceof LogsError ? new PaddockError('VALIDATION', e.message) : e;
}

async function holderAgent(deps: ImportDeps, format: Exclude<ImportFormat, 'paddock'>): Promise<{ agentId: string; versionId: string; version: number; created: boolean }> {
  const name = HOLDER_AGENT_NAMES[format];
  const found = await deps.interchange.agentByName(name);
  if (found) return { ...found, created: false };
  await deps.agents.create({
    name,
    description: 'Holds sessions imported from another tool. It has no model, no tools and reads nothing until you configure it; imported tool calls are records and never run again.',
    builtinTools: [],
    permissionMode: 'readOnly',
  });
  const made = await deps.interchange.agentByName(name);
  if (!made) throw new PaddockError('INTERNAL', `Could not create the agent “${name}”`);
  return { ...made, created: true };
}

async function importForeign(
  deps: ImportDeps,
  format: Exclude<ImportFormat, 'paddock'>,
  transcript: ForeignTranscript,
  file: string | null,
  opts: ImportOptions,
  reporter: Reporter,
): Promise<ImportResult> {
  const agent = await holderAgent(deps, format);
  const now = new Date().toISOString();
  const session: Session = {
    id: uuidv7(), agentId: agent.agentId, agentVersionId: agent.versionId, agentVersion: agent.version, parentSessionId: null,
    name: 'Imported session', goal: null, status: 'completed', overrides: {}, externalId: null, startedAt: null, endedAt: null,
    result: null, error: null, tokensIn: 0, tokensOut: 0, tokensReasoning: 0, tokensCached: 0, costUsd: 0, archivedAt: null,
    deletedAt: null, createdAt: now, updatedAt: now,
  };
  let imp: StreamedSessionImport | null = null;
  try {
    imp = await StreamedSessionImport.begin(deps.client, session, { format, sourceId: null, file, metadata: {} });
    const finish: SessionFinish = { name: '', startedAt: null, endedAt: null, tokensIn: 0, tokensOut: 0, tokensReasoning: 0, tokensCached: 0, costUsd: 0 };
    let firstPrompt: string | null = null;
    for await (const n of transcript.nodes) {
      if (n === TURN_END) {
        imp.forgetPlaced();
        continue;
      }
      await imp.add(n);
      reporter.tick(imp.count);
      if (finish.startedAt === null || n.startedAt < finish.startedAt) finish.startedAt = n.startedAt;
      finish.endedAt = later(finish.endedAt, later(n.startedAt, n.endedAt));
      finish.tokensIn += n.tokensIn ?? 0;
      finish.tokensOut += n.tokensOut ?? 0;
      finish.tokensReasoning += n.tokensReasoning ?? 0;
      finish.costUsd += n.costUsd ?? 0;
      if (typeof n.metadata.tokensCached === 'number') finish.tokensCached += n.metadata.tokensCached;
      if (firstPrompt === null && n.kind === 'user_message' && n.parentId === null && n.content.trim() !== '') firstPrompt = n.content.trim();
    }
    if (imp.count === 0) throw new PaddockError('VALIDATION', 'The file holds no messages to import');
    const meta = transcript.session;
    if (meta.sourceId !== null && !opts.allowDuplicate) {
      const existing = await deps.interchange.sessionFromSource(format, meta.sourceId);
      if (existing) throw new PaddockError('CONFLICT', `This ${format} session (${meta.sourceId}) was imported before`, { sessionId: existing });
    }
    finish.name = titleOf(meta.title ?? firstPrompt, file);
    await imp.setSource({ format, sourceId: meta.sourceId, file, metadata: meta.metadata });
    await imp.commit(finish);
    return { sessionId: session.id, agentId: agent.agentId, format, nodes: imp.count, createdAgent: agent.created };
  } catch (e) {
    await imp?.rollback();
    if (agent.created) await deps.agents.purge(agent.agentId).catch(() => undefined);
    throw asInputError(e);
  }
}

function titleOf(text: string | null, file: string | null): string {
  const line = text?.split('\n').find((l) => l.trim() !== '')?.trim();
  if (line) return line.length > 80 ? `${line.slice(0, 79)}…` : line;
  return file ? path.basename(file) : 'Imported session';
}

async function importPaddock(deps: ImportDeps, lines: AsyncIterable<{ text: string; no: number }>, source: ImportSource, file: string | null, reporter: Reporter): Promise<ImportResult> {
  const { head, items } = await openPaddock(lines, source);
  const prepared = await prepareSessionImport({ imports: deps.imports }, head, 'copy');
  const { session } = prepared;
  let imp: StreamedSessionImport | null = null;
  try {
    imp = await StreamedSessionImport.begin(deps.client, session, { format: 'paddock', sourceId: head.session.id, file, metadata: { exportedAt: head.exportedAt } }, prepared.copy ? 'renew-and-map' : 'keep');
    for await (const item of items) {
      if ('node' in item) {
        // Tree order: a new root starts a turn no later node reaches back into.
        if (item.node.parentId === null) imp.forgetPlaced();
        await imp.add(fromLogNode(item.node));
        reporter.tick(imp.count);
      } else await imp.addChunk(item.chunk);
    }
    await imp.commit(session);
    return { sessionId: session.id, agentId: session.agentId, format: 'paddock', nodes: imp.count, createdAgent: prepared.createdAgent !== null };
  } catch (e) {
    await imp?.rollback();
    if (prepared.createdAgent) await deps.agents.purge(prepared.createdAgent).catch(() => undefined);
    throw asInputError(e);
  }
}

function fromLogNode(n: LogNode): StreamNode {
  const { sessionId: _s, seq: _q, depth: _d, childCount: _c, ...rest } = n;
  return rest;
}
