// Focus that must land on something not rendered yet: "New session" asks for the composer of
// the session it creates, which mounts only once the session has loaded. The component that
// owns the target takes the request when it mounts.
import { create } from 'zustand';

interface FocusRequests {
  /** The session whose composer should take focus as soon as it is shown. */
  composerFor: string | null;
  focusComposer: (sessionId: string) => void;
  /** True once (and clears) when the request is for this session. */
  take: (sessionId: string) => boolean;
}

export const useFocusRequests = create<FocusRequests>()((set, get) => ({
  composerFor: null,
  focusComposer: (sessionId) => set({ composerFor: sessionId }),
  take: (sessionId) => {
    if (get().composerFor !== sessionId) return false;
    set({ composerFor: null });
    return true;
  },
}));

/** Focuses the first element matching `selector` (after the current render), else `fallback`. */
export function focusFirst(selector: string, fallback?: string): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>(selector) ?? (fallback ? document.querySelector<HTMLElement>(fallback) : null);
    el?.focus();
  });
}
