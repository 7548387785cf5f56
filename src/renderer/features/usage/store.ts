// The usage dashboard's data: one aggregate query in main per date range.
import { create } from 'zustand';
import type { UsageReport } from '../../../shared/ipc';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';

interface UsageState {
  from: string;
  to: string;
  report: UsageReport | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  setRange: (from: string, to: string) => void;
  load: () => Promise<void>;
}

let generation = 0;

export const useUsageStore = create<UsageState>()((set, get) => ({
  from: '',
  to: '',
  report: null,
  status: 'idle',
  error: null,
  setRange: (from, to) => {
    set({ from, to });
    void get().load();
  },
  load: async () => {
    const gen = ++generation;
    const { from, to } = get();
    set({ status: 'loading', error: null });
    try {
      const report = await api().trace.usage({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
      if (gen === generation) set({ report, status: 'ready' });
    } catch (error) {
      if (gen === generation) set({ status: 'error', error: errorMessage(error) });
    }
  },
}));
