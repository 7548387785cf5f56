// Export in other formats, imports of other tools' files and "Find histories": one job at a time,
// its progress from main's interchange.progress events, and Cancel by the job's id.
import { create } from 'zustand';
import type { HistoryCandidate, InterchangeExportFormat, InterchangeImportFormat, InterchangeImportResult, InterchangeProgress } from '../../../shared/ipc';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { toast } from '../../state/ui';

export type ExportScope = { sessionId: string } | { agentId: string } | { all: true };
export interface ExportTarget {
  sessionId: string;
  sessionName: string;
  agentId: string;
  agentName: string;
}

export interface Job {
  id: string;
  kind: 'import' | 'export';
  label: string;
  status: 'running' | 'done' | 'error' | 'cancelled';
  progress: InterchangeProgress | null;
  message: string | null;
}

export interface ImportOutcome {
  path: string;
  ok: boolean;
  message: string;
  result?: InterchangeImportResult;
}

interface InterchangeState {
  exportTarget: ExportTarget | null;
  findOpen: boolean;
  findStatus: 'idle' | 'loading' | 'ready' | 'error';
  findError: string | null;
  roots: { format: InterchangeImportFormat; path: string }[];
  candidates: HistoryCandidate[];
  selected: string[];
  outcomes: ImportOutcome[];
  job: Job | null;
  /** The last export's output (file or folder) to show the user. */
  exported: { path: string; files: number; nodes: number } | null;

  openExport: (target: ExportTarget) => void;
  closeExport: () => void;
  startExport: (scope: ExportScope, format: InterchangeExportFormat, label: string) => Promise<void>;
  openFind: () => void;
  closeFind: () => void;
  find: () => Promise<void>;
  toggle: (path: string, on: boolean) => void;
  selectAll: (on: boolean) => void;
  importSelected: () => Promise<InterchangeImportResult[]>;
  importText: (fileName: string, text: string) => Promise<InterchangeImportResult | null>;
  cancel: () => Promise<void>;
  applyProgress: (p: InterchangeProgress) => void;
}

let counter = 0;
function newJobId(kind: string): string {
  counter += 1;
  return `${kind}-${Date.now().toString(36)}-${counter}`;
}

function isCancel(error: unknown): boolean {
  const details = (error as { details?: { cancelled?: boolean } } | null)?.details;
  return details?.cancelled === true;
}

export const useInterchangeStore = create<InterchangeState>((set, get) => {
  /** Runs one job: progress arrives by event; the outcome is kept until the next job. */
  async function run<T>(kind: Job['kind'], label: string, work: (jobId: string) => Promise<T>): Promise<T | null> {
    const id = newJobId(kind);
    set({ job: { id, kind, label, status: 'running', progress: null, message: null } });
    const settle = (patch: Partial<Job>) => set((s) => (s.job?.id === id ? { job: { ...s.job, ...patch } } : {}));
    try {
      const value = await work(id);
      settle({ status: 'done' });
      return value;
    } catch (error) {
      settle(isCancel(error) ? { status: 'cancelled', message: 'Cancelled: nothing was kept.' } : { status: 'error', message: errorMessage(error) });
      return null;
    }
  }

  return {
    exportTarget: null,
    findOpen: false,
    findStatus: 'idle',
    findError: null,
    roots: [],
    candidates: [],
    selected: [],
    outcomes: [],
    job: null,
    exported: null,

    openExport: (target) => set({ exportTarget: target, exported: null, job: get().job?.status === 'running' ? get().job : null }),
    closeExport: () => set({ exportTarget: null }),

    startExport: async (scope, format, label) => {
      set({ exported: null });
      const r = await run('export', label, (jobId) => api().interchange.export({ jobId, scope, format }));
      if (r) set({ exported: { path: r.path, files: r.files, nodes: r.nodes } });
    },

    openFind: () => set({ findOpen: true, outcomes: [], job: get().job?.status === 'running' ? get().job : null }),
    closeFind: () => set({ findOpen: false }),

    find: async () => {
      set({ findStatus: 'loading', findError: null });
      try {
        const r = await api().interchange.findHistories({});
        set({ findStatus: 'ready', roots: r.roots, candidates: r.candidates, selected: [] });
      } catch (error) {
        set({ findStatus: 'error', findError: errorMessage(error) });
      }
    },

    toggle: (path, on) => set((s) => ({ selected: on ? [...new Set([...s.selected, path])] : s.selected.filter((p) => p !== path) })),
    selectAll: (on) => set((s) => ({ selected: on ? s.candidates.map((c) => c.path) : [] })),

    importSelected: async () => {
      const paths = get().selected;
      const imported: InterchangeImportResult[] = [];
      set({ outcomes: [] });
      for (const [i, path] of paths.entries()) {
        const candidate = get().candidates.find((c) => c.path === path);
        const label = `Importing ${i + 1} of ${paths.length}: ${path.split(/[\\/]/).pop() ?? path}`;
        const r = await run('import', label, (jobId) => api().interchange.importFile({ jobId, path, ...(candidate ? { format: candidate.format } : {}) }));
        const job = get().job;
        const outcome: ImportOutcome = r ? { path, ok: true, message: `${r.nodes.toLocaleString()} log entries`, result: r } : { path, ok: false, message: job?.message ?? 'Failed' };
        set((s) => ({ outcomes: [...s.outcomes, outcome], selected: r ? s.selected.filter((p) => p !== path) : s.selected }));
        if (r) imported.push(r);
        if (job?.status === 'cancelled') break;
      }
      return imported;
    },

    importText: async (fileName, text) => {
      const r = await run('import', `Importing ${fileName}`, (jobId) => api().interchange.importText({ jobId, fileName, text }));
      const job = get().job;
      if (!r && job?.status === 'error') toast(`Could not import “${fileName}”: ${job.message ?? ''}`, { tone: 'error', timeoutMs: 15_000 });
      return r;
    },

    cancel: async () => {
      const job = get().job;
      if (job?.status === 'running') await api().interchange.cancel({ jobId: job.id }).catch(() => undefined);
    },

    applyProgress: (p) => set((s) => (s.job?.id === p.jobId && s.job.status === 'running' ? { job: { ...s.job, progress: p } } : {})),
  };
});
