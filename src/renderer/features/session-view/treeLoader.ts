// Loading a session's log tree into the view: one round trip for an ordinary session, and for a
// huge one a small first page (its first screen) followed by the rest in large pages. The loader
// decides what to fetch and when the view is told; the store owns the index it fills.
import type { LogNode, Page } from '../../../shared/domain';
import { LOG_PAGE_BULK_MAX } from '../../../shared/ipc';
import { api } from '../../lib/api';

/** The first screen of a paged session: a few hundred nodes parse, index and draw in a few ms. */
export const FIRST_PAGE = 200;
/** The rest, in pages as large as main serves: 100,000 nodes in 20 round trips, not 100. */
export const REST_PAGE = LOG_PAGE_BULK_MAX;
/** Up to this many nodes and bytes of text a session loads in one logs.whole answer (~8 ms in
 *  the host for 2,000 nodes); bigger ones page, so their first screen does not wait for the rest. */
const WHOLE_TREE_MAX = 5_000;
const WHOLE_TREE_MAX_BYTES = 16 * 1024 * 1024;
/** While pages stream in, the view is told at most this often… */
const PUBLISH_EVERY_MS = 150;
/** …and never more often than this many times its last update's cost: each update re-derives
 *  the visible rows (O(loaded nodes)), so a fixed interval made a 100k-node load quadratic. */
const PUBLISH_COST_FACTOR = 4;

export interface LoaderHooks {
  /** False once the view moved on to another session (or reopened this one). */
  current: () => boolean;
  /** Adds nodes to the index; true when the tree's shape changed. */
  insert: (nodes: readonly LogNode[]) => boolean;
  /** Tells the view about inserted nodes (visible rows, counts, roll-ups). */
  publish: (structural: boolean) => void;
  /** The tree is on screen; `rest` says whether more pages are on their way. */
  ready: (totalCount: number, rest: boolean) => void;
  /** Every node is loaded. */
  finished: () => void;
}

const yieldToBrowser = () => new Promise((resolve) => setTimeout(resolve, 0));

/** `sent` is called once the log's first requests are on their way, so the header's request
 *  queues behind them in main rather than ahead of them. */
export async function loadTree(sessionId: string, hooks: LoaderHooks, sent: () => unknown): Promise<void> {
  const paddock = api();
  // Both questions at once: is the session small enough to arrive whole, and (in case it is
  // not) its first page. A small session's unused first page costs main ~1 ms; a huge one's
  // first screen saves a round trip.
  const whole = paddock.logs.whole({ sessionId, maxNodes: WHOLE_TREE_MAX, maxBytes: WHOLE_TREE_MAX_BYTES });
  const first = paddock.logs.page({ sessionId, limit: FIRST_PAGE, cursor: null });
  // Marked handled: a small session never awaits it, and a session change nobody awaits it.
  first.catch(() => undefined);
  sent();
  const answer = await whole;
  if (!hooks.current()) return;
  if (answer.nodes) {
    hooks.insert(answer.nodes);
    hooks.ready(answer.nodes.length, false);
    hooks.publish(true);
    return;
  }
  const page = await first;
  if (!hooks.current()) return;
  hooks.insert(page.items);
  hooks.ready(answer.count, page.nextCursor !== null);
  hooks.publish(true);
  if (page.nextCursor) await loadRest(sessionId, page.nextCursor, hooks);
}

async function loadRest(sessionId: string, cursor: string, hooks: LoaderHooks): Promise<void> {
  const fetchPage = (from: string): Promise<Page<LogNode>> => {
    const request = api().logs.page({ sessionId, limit: REST_PAGE, cursor: from });
    request.catch(() => undefined);
    return request;
  };
  let inflight: Promise<Page<LogNode>> | null = fetchPage(cursor);
  let pendingStructure = false;
  let lastPublish = performance.now();
  let lastCost = 0;
  while (inflight) {
    const page: Page<LogNode> = await inflight;
    if (!hooks.current()) return;
    // Ask for the next page before digesting this one: the socket and main stay busy.
    inflight = page.nextCursor ? fetchPage(page.nextCursor) : null;
    pendingStructure = hooks.insert(page.items) || pendingStructure;
    const now = performance.now();
    if (inflight && now - lastPublish >= Math.max(PUBLISH_EVERY_MS, PUBLISH_COST_FACTOR * lastCost)) {
      hooks.publish(pendingStructure);
      pendingStructure = false;
      // Let the browser render, paint and handle input; what that took sets the next interval.
      await yieldToBrowser();
      if (!hooks.current()) return;
      lastPublish = performance.now();
      lastCost = lastPublish - now;
    }
  }
  // The last page and "loaded" in one update: one render, no frame showing a finished log
  // still saying "Loading".
  hooks.finished();
  hooks.publish(pendingStructure);
}
