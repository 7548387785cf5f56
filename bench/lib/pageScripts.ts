// Code that runs inside the page (Chromium), kept as source text: the bench is type-checked
// against Node's libs only. Every time is read from the page's own clock (performance.now(),
// event.timeStamp), so nothing depends on the round trip to Playwright.

/** Resolves after the frame that shows the current DOM has been painted. */
const AFTER_PAINT = `(cb) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => cb(performance.now()); ch.port2.postMessage(0); })`;

/**
 * Arms the session-open measurement before the click. From the click event's timestamp (the
 * input's own time) to: `first` = the first rows of the expected session painted; `full` = the
 * log reports every entry loaded ("N entries", no spinner) and that is painted. Stored as a
 * promise in window.__benchOpen.
 */
export function armOpenScript(firstNodeId: string, entriesText: string, waitFull: boolean): string {
  return `(() => {
    const afterPaint = ${AFTER_PAINT};
    window.__benchOpen = new Promise((resolve) => {
      let t0 = null, first = null, full = ${waitFull ? 'null' : "'skip'"};
      const done = () => {
        if (typeof first === 'number' && (typeof full === 'number' || full === 'skip')) { mo.disconnect(); resolve({ first, full: full === 'skip' ? null : full }); }
      };
      const check = () => {
        if (t0 === null) return;
        if (first === null && document.querySelector('[data-testid="log-row"][data-node-id="${firstNodeId}"]')) {
          first = 'pending';
          afterPaint((t) => { first = t - t0; done(); });
        }
        if (full === null) {
          const c = document.querySelector('[data-testid="log-count"]');
          if (c && c.textContent.trim() === ${JSON.stringify(entriesText)}) {
            full = 'pending';
            afterPaint((t) => { full = t - t0; done(); });
          }
        }
      };
      const mo = new MutationObserver(check);
      mo.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      document.addEventListener('click', (e) => { t0 = e.timeStamp; check(); }, { capture: true, once: true });
    });
  })()`;
}

/**
 * Scrolls the log from top to bottom over `durationMs` (the position follows the clock, so each
 * frame jumps as far as the time it took), recording every frame's duration (rAF deltas).
 */
export function scrollTopToBottomScript(durationMs: number): string {
  return `(async () => {
    const el = document.querySelector('[data-testid="log-tree-scroll"]');
    el.scrollTop = 0;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return await new Promise((resolve) => {
      const deltas = [];
      let last = null, start = null;
      // The scroll range is re-read every 30 frames only: reading scrollHeight in every frame
      // would force a synchronous layout that a real wheel or scrollbar gesture never causes.
      let max = el.scrollHeight - el.clientHeight, frame = 0;
      const step = (t) => {
        if (last !== null) deltas.push(t - last);
        last = t;
        if (start === null) start = t;
        if (++frame % 30 === 0) max = el.scrollHeight - el.clientHeight;
        const frac = Math.min(1, (t - start) / ${durationMs});
        el.scrollTop = Math.round(max * frac);
        if (frac >= 1) {
          max = el.scrollHeight - el.clientHeight;
          if (el.scrollTop >= max - 4) { resolve({ deltas, scrollHeight: el.scrollHeight, rowsInDom: document.querySelectorAll('[data-testid="log-row"]').length }); return; }
          el.scrollTop = max;
        }
        if (t - start > ${durationMs} + 10000) resolve({ deltas, scrollHeight: el.scrollHeight, notAtEnd: true });
        else requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
  })()`;
}

/** Scrolls up and down at a reading pace (pxPerFrame) for durationMs, recording frame durations. */
export function scrollBackAndForthScript(durationMs: number, pxPerFrame: number): string {
  return `(async () => {
    const el = document.querySelector('[data-testid="log-tree-scroll"]');
    const count = () => document.querySelector('[data-testid="log-tree"]')?.getAttribute('data-row-count');
    const rowsBefore = count();
    el.scrollTop = Math.round((el.scrollHeight - el.clientHeight) / 3);
    return await new Promise((resolve) => {
      const deltas = [];
      let last = null, start = null, dir = 1, frame = 0;
      let max = el.scrollHeight - el.clientHeight, pos = el.scrollTop;
      const step = (t) => {
        if (last !== null) deltas.push(t - last);
        last = t;
        if (start === null) start = t;
        if (++frame % 30 === 0) max = el.scrollHeight - el.clientHeight;
        pos += dir * ${pxPerFrame};
        let next = pos;
        if (next >= max - 200) { dir = -1; next = max - 200; } else if (next <= 0) { dir = 1; next = 0; }
        pos = next;
        el.scrollTop = next;
        if (t - start >= ${durationMs}) resolve({ deltas, rowsBefore, rowsAfter: count() });
        else requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
  })()`;
}
