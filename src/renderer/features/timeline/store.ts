// Time to first token of model calls, fetched on demand for the rows the timeline shows: the
// first streamed chunk of the call (its own text) or its first child (thinking, a tool call),
// whichever came first. Nothing is fetched for rows never drawn.
import { create } from 'zustand';
import type { LogNode } from '../../../shared/domain';
import { api } from '../../lib/api';

const MAX_IN_FLIGHT = 6;

interface TimelineState {
  ttft: Map<string, number | null>;
  version: number;
  request: (nodes: readonly LogNode[], firstChildStart: (id: string) => number | null) => void;
  reset: () => void;
}

let inFlight = 0;
const queued: Array<() => Promise<void>> = [];
let generation = 0;

function pump(): void {
  while (inFlight < MAX_IN_FLIGHT && queued.length > 0) {
    const job = queued.shift()!;
    inFlight++;
    void job().finally(() => {
      inFlight--;
      pump();
    });
  }
}

export const useTimelineStore = create<TimelineState>()((set, get) => ({
  ttft: new Map(),
  version: 0,
  request: (nodes, firstChildStart) => {
    const gen = generation;
    for (const node of nodes) {
      if (node.kind !== 'assistant_message' || get().ttft.has(node.id)) continue;
      get().ttft.set(node.id, null);
      queued.push(async () => {
        let first: number | null = null;
        try {
          const chunks = await api().logs.chunks({ nodeId: node.id });
          if (chunks[0]) first = chunks[0].atMs;
        } catch {
          // Unknown: no tick is drawn.
        }
        const child = firstChildStart(node.id);
        const start = Date.parse(node.startedAt);
        if (child !== null && !Number.isNaN(start)) first = Math.min(first ?? Infinity, Math.max(0, child - start));
        if (gen !== generation) return;
        get().ttft.set(node.id, first);
        set((s) => ({ version: s.version + 1 }));
      });
    }
    pump();
  },
  reset: () => {
    generation++;
    queued.length = 0;
    set({ ttft: new Map(), version: 0 });
  },
}));
