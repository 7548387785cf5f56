// The comparison of two runs: the open session (A) against one the user picks (B). Both logs
// and both pinned configs are read as stored; the alignment is computed here, once per pair.
import { create } from 'zustand';
import type { Session, SessionWithConfig } from '../../../shared/domain';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { compareRuns, type Comparison } from './align';

interface CompareState {
  candidates: Session[];
  a: SessionWithConfig | null;
  b: SessionWithConfig | null;
  result: Comparison | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  start: (sessionId: string) => Promise<void>;
  pick: (otherId: string) => Promise<void>;
}

let generation = 0;

export const useCompareStore = create<CompareState>()((set, get) => ({
  candidates: [],
  a: null,
  b: null,
  result: null,
  status: 'idle',
  error: null,

  start: async (sessionId) => {
    const gen = ++generation;
    set({ a: null, b: null, result: null, status: 'loading', error: null, candidates: [] });
    try {
      const [a, list] = await Promise.all([api().sessions.get({ id: sessionId }), api().sessions.list({ limit: 200 })]);
      if (gen !== generation) return;
      // Runs of the same agent first: the usual question is "what changed since last time".
      const others = list.items.filter((s) => s.id !== sessionId);
      others.sort((x, y) => Number(y.agentId === a.agentId) - Number(x.agentId === a.agentId));
      set({ a, candidates: others, status: 'idle' });
    } catch (error) {
      if (gen === generation) set({ status: 'error', error: errorMessage(error) });
    }
  },

  pick: async (otherId) => {
    const a = get().a;
    if (!a) return;
    const gen = ++generation;
    set({ status: 'loading', error: null, result: null });
    try {
      const [b, nodesA, nodesB] = await Promise.all([
        api().sessions.get({ id: otherId }),
        api().logs.tree({ sessionId: a.id }),
        api().logs.tree({ sessionId: otherId }),
      ]);
      if (gen !== generation) return;
      set({ b, result: compareRuns(nodesA, nodesB), status: 'ready' });
    } catch (error) {
      if (gen === generation) set({ status: 'error', error: errorMessage(error) });
    }
  },
}));
