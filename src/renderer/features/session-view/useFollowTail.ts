// The log follows the run and opens where the reader left it. A reader at the end stays at the
// end while rows arrive or grow (also in a new session, whose first rows arrive live); a
// session opened again comes back at the remembered spot, a live one without memory at its end.
import { useLayoutEffect, useRef, type RefObject } from 'react';
import { isLiveStatus } from './liveStatus';
import { recallScroll, rememberScroll } from './scrollMemory';
import { useSessionViewStore } from './store';

export interface FollowTail {
  /** Call from the scroll container's onScroll. */
  onScroll: (el: HTMLElement) => void;
}

export function useFollowTail(
  scrollRef: RefObject<HTMLElement | null>,
  rowCount: number,
  totalSize: number,
  scrollToEnd: () => void,
): FollowTail {
  const sessionId = useSessionViewStore((s) => s.sessionId);
  // The log's first rows usually arrive before the session's header record (its request goes
  // second): whether the session is live is only known once that record is in, so the reader is
  // placed then. Placed earlier, a live session read as "finished, never opened" and stayed at
  // its top without following.
  const status = useSessionViewStore((s) => (s.session && s.session.id === s.sessionId ? s.session.status : null));
  const atBottom = useRef(true);
  const placedFor = useRef<string | null>(null);

  // First rows of a session on screen: put the reader back where they were.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !sessionId || rowCount === 0 || status === null || placedFor.current === sessionId) return;
    placedFor.current = sessionId;
    const spot = recallScroll(sessionId);
    const live = isLiveStatus(status);
    if (spot && !spot.atBottom) {
      atBottom.current = false;
      el.scrollTop = spot.top;
    } else if (spot?.atBottom || live) {
      atBottom.current = true;
      scrollToEnd();
    } else {
      // A finished session never opened here: from the top, like a document.
      atBottom.current = el.scrollHeight <= el.clientHeight + 1;
      el.scrollTop = 0;
    }
  }, [sessionId, status, rowCount, scrollRef, scrollToEnd]);

  // Rows added live: a reader at the end sees them.
  const previousCount = useRef(rowCount);
  useLayoutEffect(() => {
    const grew = rowCount > previousCount.current;
    previousCount.current = rowCount;
    if (grew && atBottom.current && rowCount > 0) scrollToEnd();
  }, [rowCount, scrollToEnd]);

  // Rows at the bottom are measured after they mount and are often taller than estimated: a
  // reader parked at the end stays at the end instead of watching the last row slide away.
  const previousTotal = useRef(totalSize);
  useLayoutEffect(() => {
    const grew = totalSize > previousTotal.current;
    previousTotal.current = totalSize;
    const el = scrollRef.current;
    if (grew && atBottom.current && el) el.scrollTop = el.scrollHeight;
  }, [totalSize, scrollRef]);

  return {
    onScroll: (el) => {
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      if (sessionId && placedFor.current === sessionId) rememberScroll(sessionId, { top: el.scrollTop, atBottom: atBottom.current });
    },
  };
}
