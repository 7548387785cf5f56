// How the open session is inspected: the tree alone or beside its timeline, and the tree's
// density. Remembered across sessions and restarts (localStorage), like a reader's preference.
import { create } from 'zustand';

export type TraceView = 'tree' | 'timeline';
export type Density = 'comfortable' | 'compact';

const KEY = 'paddock.trace';

interface Saved {
  view: TraceView;
  density: Density;
}

function load(): Saved {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Saved>;
    return { view: raw.view === 'timeline' ? 'timeline' : 'tree', density: raw.density === 'compact' ? 'compact' : 'comfortable' };
  } catch {
    return { view: 'tree', density: 'comfortable' };
  }
}

interface TraceState extends Saved {
  setView: (view: TraceView) => void;
  setDensity: (density: Density) => void;
}

export const useTraceStore = create<TraceState>()((set, get) => {
  const save = () => {
    try {
      localStorage.setItem(KEY, JSON.stringify({ view: get().view, density: get().density }));
    } catch {
      // Private mode or a full quota: the choice lasts for this window only.
    }
  };
  return {
    ...(typeof localStorage === 'undefined' ? { view: 'tree' as const, density: 'comfortable' as const } : load()),
    setView: (view) => (set({ view }), save()),
    setDensity: (density) => (set({ density }), save()),
  };
});
