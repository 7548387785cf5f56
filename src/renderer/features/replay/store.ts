// Replay of a recorded session (or one entry's subtree) at its original pace, from the stored
// chunks and their timings: nothing is asked of a model. The tree and the timeline read the
// replay clock: rows appear when their node started, text grows chunk by chunk, and the
// timeline draws a cursor. The clock runs on animation frames; speed scales it, "skip waits"
// jumps over stretches where nothing was recorded.
import { create } from 'zustand';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { buildTracks, nextEvent, type Tracks } from './tracks';

export const SPEEDS = [1, 2, 10] as const;
export type Speed = (typeof SPEEDS)[number];
/** A quiet stretch longer than this (in replay time) is skipped when "skip waits" is on. */
const WAIT_MS = 400;

export interface ReplayState {
  sessionId: string | null;
  rootId: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  playing: boolean;
  speed: Speed;
  skipWaits: boolean;
  startMs: number;
  endMs: number;
  cursorMs: number;
  /** Nodes started at the cursor: the tree's rows change only when this does. */
  startedCount: number;
  open: (sessionId: string, rootId?: string | null) => Promise<void>;
  close: () => void;
  play: () => void;
  pause: () => void;
  setSpeed: (speed: Speed) => void;
  setSkipWaits: (on: boolean) => void;
  seek: (ms: number) => void;
}

let tracks: Tracks | null = null;
/** Node start times, sorted, to count the started nodes at a moment. */
let starts = new Float64Array();
let frame = 0;
let generation = 0;

export function replayTracks(): Tracks | null {
  return tracks;
}

function countStarted(atMs: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const useReplayStore = create<ReplayState>()((set, get) => {
  const moveTo = (ms: number) => {
    const cursorMs = Math.max(get().startMs, Math.min(get().endMs, ms));
    const startedCount = countStarted(cursorMs);
    set(startedCount === get().startedCount ? { cursorMs } : { cursorMs, startedCount });
  };

  const tick = (last: number) => (now: number) => {
    const s = get();
    if (!s.playing || !tracks) return;
    let next = s.cursorMs + (now - last) * s.speed;
    if (s.skipWaits) {
      const upcoming = nextEvent(tracks, s.cursorMs);
      if (upcoming !== null && upcoming - s.cursorMs > WAIT_MS) next = Math.max(next, upcoming - 50);
    }
    moveTo(next);
    if (next >= s.endMs) {
      set({ playing: false });
      return;
    }
    frame = requestAnimationFrame(tick(now));
  };

  return {
    sessionId: null,
    rootId: null,
    status: 'idle',
    error: null,
    playing: false,
    speed: 1,
    skipWaits: false,
    startMs: 0,
    endMs: 0,
    cursorMs: 0,
    startedCount: 0,

    open: async (sessionId, rootId = null) => {
      get().close();
      const gen = ++generation;
      set({ sessionId, rootId, status: 'loading', error: null });
      try {
        const log = await api().trace.replay({ sessionId });
        if (gen !== generation) return;
        tracks = buildTracks(log.nodes, log.chunks, rootId);
        starts = Float64Array.from([...tracks.byId.values()].map((t) => t.startMs)).sort();
        set({ status: 'ready', startMs: tracks.startMs, endMs: tracks.endMs, cursorMs: tracks.startMs, startedCount: countStarted(tracks.startMs) });
        get().play();
      } catch (error) {
        if (gen === generation) set({ status: 'error', error: errorMessage(error) });
      }
    },

    close: () => {
      generation++;
      cancelAnimationFrame(frame);
      tracks = null;
      starts = new Float64Array();
      set({ sessionId: null, rootId: null, status: 'idle', error: null, playing: false, startedCount: 0 });
    },

    play: () => {
      const s = get();
      if (s.status !== 'ready' || s.playing) return;
      if (s.cursorMs >= s.endMs) moveTo(s.startMs);
      set({ playing: true });
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame((now) => tick(now)(now));
    },

    pause: () => {
      cancelAnimationFrame(frame);
      set({ playing: false });
    },

    setSpeed: (speed) => set({ speed }),
    setSkipWaits: (skipWaits) => set({ skipWaits }),
    seek: (ms) => moveTo(ms),
  };
});
