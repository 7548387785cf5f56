// File import and export use cases: runs the interchange modules as jobs the caller names, sends
// their progress as events, cancels them on request, and tells every window about what an
// import created. Exports go to an "exports" folder beside the database.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { ChannelInput } from '../../shared/ipc';
import { PaddockError, type HistoryCandidate, type InterchangeExportResult, type InterchangeImportResult, type SessionSourceInfo } from '../../shared/ipc';
import { discoverHistories } from '../interchange/discover';
import { runExport, type ExportDeps } from '../interchange/export/index';
import { runImport, type ImportDeps } from '../interchange/import/index';
import type { ImportSource } from '../interchange/lines';
import type { Progress } from '../interchange/types';
import type { EventBus } from '../ipc/events';
import type { InterchangeRepository } from '../repositories/interchange';

export interface InterchangeServiceDeps {
  importDeps: ImportDeps;
  exportDeps: ExportDeps;
  interchange: InterchangeRepository;
  events: EventBus;
  /** Where exports are written (created when missing). */
  exportsDir: string;
  /** For tests: where "Find histories" looks instead of the user's home folder. */
  home?: string;
  env?: NodeJS.ProcessEnv;
}

export function defaultExportsDir(dataDir: string | null): string {
  return dataDir ? path.join(dataDir, 'exports') : path.join(os.tmpdir(), 'paddock-exports');
}

export class InterchangeService {
  readonly #deps: InterchangeServiceDeps;
  readonly #jobs = new Map<string, AbortController>();

  constructor(deps: InterchangeServiceDeps) {
    this.#deps = deps;
  }

  async findHistories(): Promise<{ roots: { format: HistoryCandidate['format']; path: string }[]; candidates: HistoryCandidate[] }> {
    return discoverHistories({ ...(this.#deps.home ? { home: this.#deps.home } : {}), ...(this.#deps.env ? { env: this.#deps.env } : {}) });
  }

  async importFile(input: ChannelInput<'interchange.importFile'>): Promise<InterchangeImportResult> {
    const st = await fs.promises.stat(input.path).catch(() => null);
    if (!st) throw new PaddockError('NOT_FOUND', `No file at ${input.path}`);
    if (!st.isFile()) throw new PaddockError('VALIDATION', `${input.path} is not a file`);
    return this.#import(input.jobId, { path: input.path }, input.format, input.allowDuplicate, input.path);
  }

  importText(input: ChannelInput<'interchange.importText'>): Promise<InterchangeImportResult> {
    return this.#import(input.jobId, { text: input.text }, input.format, input.allowDuplicate, input.fileName);
  }

  async #import(jobId: string, source: ImportSource, format: InterchangeImportResult['format'] | undefined, allowDuplicate: boolean, label: string): Promise<InterchangeImportResult> {
    const signal = this.#start(jobId);
    try {
      const r = await runImport(this.#deps.importDeps, source, { ...(format ? { format } : {}), allowDuplicate, label, signal, onProgress: (p) => this.#progress(jobId, 'import', p) });
      if (r.createdAgent) this.#deps.events.emit('agents.changed', { agentId: r.agentId, change: 'imported' });
      this.#deps.events.emit('sessions.changed', { sessionId: r.sessionId, agentId: r.agentId, change: 'imported' });
      return r;
    } finally {
      this.#jobs.delete(jobId);
    }
  }

  async export(input: ChannelInput<'interchange.export'>): Promise<InterchangeExportResult> {
    const signal = this.#start(input.jobId);
    try {
      return await runExport(this.#deps.exportDeps, input.scope, input.format, this.#deps.exportsDir, { signal, onProgress: (p) => this.#progress(input.jobId, 'export', p) });
    } finally {
      this.#jobs.delete(input.jobId);
    }
  }

  cancel(input: ChannelInput<'interchange.cancel'>): { cancelled: boolean } {
    const job = this.#jobs.get(input.jobId);
    job?.abort();
    return { cancelled: job !== undefined };
  }

  async source(input: ChannelInput<'interchange.source'>): Promise<SessionSourceInfo | null> {
    const s = await this.#deps.interchange.source(input.sessionId);
    return s ? { sessionId: s.sessionId, format: s.format, sourceId: s.sourceId, file: s.file, importedAt: s.importedAt } : null;
  }

  #start(jobId: string): AbortSignal {
    if (this.#jobs.has(jobId)) throw new PaddockError('CONFLICT', `A job ${jobId} is already running`);
    const ctl = new AbortController();
    this.#jobs.set(jobId, ctl);
    return ctl.signal;
  }

  #progress(jobId: string, kind: 'import' | 'export', p: Progress): void {
    this.#deps.events.emit('interchange.progress', { jobId, kind, phase: p.phase, nodes: p.nodes, bytes: p.bytes, totalBytes: p.totalBytes, totalNodes: p.totalNodes ?? null });
  }
}
