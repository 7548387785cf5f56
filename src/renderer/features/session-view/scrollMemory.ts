// Where the reader left each session's log: its scroll offset, and whether it sat at the end
// (then it follows live output when it comes back). Kept for the most recent sessions across
// restarts; a missing or broken store just means "no memory".
const KEY = 'paddock.logScroll';
const KEEP = 100;

export interface ScrollSpot {
  top: number;
  atBottom: boolean;
}

let cache: Map<string, ScrollSpot> | null = null;

function load(): Map<string, ScrollSpot> {
  if (cache) return cache;
  cache = new Map();
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    if (Array.isArray(raw)) {
      for (const entry of raw) {
        if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1]?.top === 'number') {
          cache.set(entry[0], { top: entry[1].top, atBottom: entry[1].atBottom === true });
        }
      }
    }
  } catch {
    // Nothing remembered.
  }
  return cache;
}

export function recallScroll(sessionId: string): ScrollSpot | null {
  return load().get(sessionId) ?? null;
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;

export function rememberScroll(sessionId: string, spot: ScrollSpot): void {
  const map = load();
  map.delete(sessionId);
  map.set(sessionId, spot);
  while (map.size > KEEP) map.delete(map.keys().next().value as string);
  // Scroll events come by the dozen per second: write the store at most every half second.
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    try {
      localStorage.setItem(KEY, JSON.stringify([...map.entries()]));
    } catch {
      // Kept in memory for this run only.
    }
  }, 500);
}
