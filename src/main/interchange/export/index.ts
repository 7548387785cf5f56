// Export runner: one session to one file, or several sessions (an agent's, or all) to one file
// each in a new folder. Pages are read from one snapshot and written as they come; progress is
// reported as nodes are written; a cancelled or failed export leaves no partial file behind.
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@libsql/client';
import { openSessionLogReader } from '../../logs/stream-export.js';
import type { AgentsRepository } from '../../repositories/agents.js';
import type { InterchangeRepository } from '../../repositories/interchange.js';
import type { SessionsRepository } from '../../repositories/sessions.js';
import { cancelled } from '../errors.js';
import type { ExportFormat, Progress } from '../types.js';
import { AguiExporter } from './agui.js';
import { MarkdownExporter } from './markdown.js';
import { OtlpExporter } from './otlp.js';
import { TextOut } from './out.js';
import { PaddockJsonExporter } from './paddock.js';
import type { SessionExporter } from './types.js';

export const EXTENSIONS: Record<ExportFormat, string> = { markdown: '.md', 'ag-ui': '.agui.jsonl', otlp: '.otlp.jsonl', paddock: '.paddock.json' };

export interface ExportDeps {
  client: Pick<Client, 'transaction'>;
  sessions: Pick<SessionsRepository, 'get'>;
  agents: Pick<AgentsRepository, 'getVersion'>;
  interchange: Pick<InterchangeRepository, 'sessionIds'>;
}

export interface ExportOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Fixed export time (tests: byte-identical files). */
  now?: () => Date;
}

export interface ExportResult {
  /** The file (one session) or the folder (several). */
  path: string;
  files: number;
  nodes: number;
  bytes: number;
}

function makeExporter(format: ExportFormat, file: string): SessionExporter & { discard?: () => Promise<void> } {
  switch (format) {
    case 'markdown':
      return new MarkdownExporter();
    case 'ag-ui':
      return new AguiExporter();
    case 'otlp':
      return new OtlpExporter();
    case 'paddock':
      return new PaddockJsonExporter(file);
  }
}

function slug(name: string): string {
  return name.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'session';
}

/** A file name for a session that does not exist yet in `dir`. */
export function sessionFileName(name: string, id: string, format: ExportFormat): string {
  return `${slug(name)}-${id.slice(-8)}${EXTENSIONS[format]}`;
}

interface Counter {
  nodes: number;
  bytes: number;
  report(force?: boolean): void;
}

/** Writes one session to `file` (which must not exist). */
export async function exportSessionToFile(deps: ExportDeps, sessionId: string, format: ExportFormat, file: string, opts: ExportOptions, counter?: Counter): Promise<{ nodes: number; bytes: number }> {
  const withConfig = await deps.sessions.get(sessionId);
  const { agentName, effectiveConfig: _e, pinnedAt: _p, source: _s, tags, ...untagged } = withConfig;
  // As sessions.export: tags travel when there are any, so an untagged session exports as before.
  const session = tags && tags.length > 0 ? { ...untagged, tags } : untagged;
  const pinnedVersion = await deps.agents.getVersion(session.agentVersionId);
  const reader = await openSessionLogReader(deps.client, sessionId);
  const c = counter ?? localCounter(opts, reader.total);
  const exporter = makeExporter(format, file);
  let out: TextOut | null = null;
  const before = c.bytes;
  try {
    out = TextOut.toFile(file);
    await exporter.begin({ session, agentName, pinnedVersion, exportedAt: (opts.now?.() ?? new Date()).toISOString(), total: reader.total }, out);
    for await (const page of reader.pages) {
      if (opts.signal?.aborted) throw cancelled('export');
      await exporter.page(page, out);
      c.nodes += page.nodes.length;
      c.bytes = before + out.written;
      c.report();
    }
    await exporter.end(out);
    await out.close();
    c.bytes = before + out.written;
    return { nodes: reader.total, bytes: out.written };
  } catch (e) {
    reader.close();
    out?.destroy();
    await exporter.discard?.().catch(() => undefined);
    await fs.promises.rm(file, { force: true }).catch(() => undefined);
    throw e;
  }
}

function localCounter(opts: ExportOptions, total: number): Counter {
  let last = 0;
  const c: Counter = {
    nodes: 0,
    bytes: 0,
    report(force = false) {
      const now = Date.now();
      if (!force && now - last < 100) return;
      last = now;
      opts.onProgress?.({ phase: 'writing', nodes: c.nodes, bytes: c.bytes, totalBytes: null, totalNodes: total });
    },
  };
  return c;
}

/** One session, an agent's sessions, or all sessions, into `dir`. */
export async function runExport(
  deps: ExportDeps,
  scope: { sessionId: string } | { agentId: string } | { all: true },
  format: ExportFormat,
  dir: string,
  opts: ExportOptions = {},
): Promise<ExportResult> {
  await fs.promises.mkdir(dir, { recursive: true });
  if ('sessionId' in scope) {
    const s = await deps.sessions.get(scope.sessionId);
    const file = path.join(dir, sessionFileName(s.name, s.id, format));
    const r = await exportSessionToFile(deps, s.id, format, file, opts);
    opts.onProgress?.({ phase: 'done', nodes: r.nodes, bytes: r.bytes, totalBytes: null });
    return { path: file, files: 1, ...r };
  }
  const ids = await deps.interchange.sessionIds('agentId' in scope ? scope.agentId : null);
  const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const folder = path.join(dir, `paddock-export-${'agentId' in scope ? `agent-${scope.agentId.slice(-8)}` : 'all'}-${stamp}`);
  await fs.promises.mkdir(folder);
  let last = 0;
  const counter: Counter = {
    nodes: 0,
    bytes: 0,
    report(force = false) {
      const now = Date.now();
      if (!force && now - last < 100) return;
      last = now;
      opts.onProgress?.({ phase: 'writing', nodes: counter.nodes, bytes: counter.bytes, totalBytes: null });
    },
  };
  try {
    for (const id of ids) {
      if (opts.signal?.aborted) throw cancelled('export');
      const s = await deps.sessions.get(id);
      await exportSessionToFile(deps, id, format, path.join(folder, sessionFileName(s.name, s.id, format)), opts, counter);
    }
  } catch (e) {
    await fs.promises.rm(folder, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  opts.onProgress?.({ phase: 'done', nodes: counter.nodes, bytes: counter.bytes, totalBytes: null });
  return { path: folder, files: ids.length, nodes: counter.nodes, bytes: counter.bytes };
}
