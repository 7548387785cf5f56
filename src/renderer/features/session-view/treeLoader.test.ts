import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogNode, Page } from '../../../shared/domain';

const fake = {
  whole: vi.fn(),
  page: vi.fn(),
};
vi.mock('../../lib/api', () => ({ api: () => ({ logs: fake }) }));

const { loadTree, FIRST_PAGE, REST_PAGE } = await import('./treeLoader');

const node = (i: number): LogNode => ({ id: `n${i}` }) as LogNode;
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, k) => node(from + k));

/** A paged session of `total` nodes: cursors are positions. */
function servePages(total: number) {
  fake.whole.mockResolvedValue({ count: total, nodes: null });
  fake.page.mockImplementation(async ({ limit, cursor }: { limit: number; cursor: string | null }): Promise<Page<LogNode>> => {
    const from = cursor ? Number(cursor) : 0;
    const to = Math.min(total, from + limit);
    return { items: range(from, to), nextCursor: to < total ? String(to) : null };
  });
}

function hooks() {
  const log = { inserted: 0, publishes: 0, ready: [] as [number, boolean][], finished: false };
  return {
    log,
    hooks: {
      current: () => true,
      insert: (nodes: readonly LogNode[]) => ((log.inserted += nodes.length), true),
      publish: () => void log.publishes++,
      ready: (total: number, rest: boolean) => void log.ready.push([total, rest]),
      finished: () => void (log.finished = true),
    },
  };
}

describe('loading a session tree', () => {
  beforeEach(() => vi.clearAllMocks());

  it('takes an ordinary session whole in one answer, its first page unused', async () => {
    fake.whole.mockResolvedValue({ count: 3, nodes: range(0, 3) });
    fake.page.mockResolvedValue({ items: range(0, 3), nextCursor: null });
    const { log, hooks: h } = hooks();
    await loadTree('s', h, () => undefined);
    expect(log).toEqual({ inserted: 3, publishes: 1, ready: [[3, false]], finished: false });
  });

  it('shows a small first page of a huge session, then loads the rest in large pages', async () => {
    servePages(100_000);
    const { log, hooks: h } = hooks();
    const sent = vi.fn();
    await loadTree('s', h, sent);
    expect(sent).toHaveBeenCalledOnce();
    // Both first questions went out together, before any answer.
    expect(fake.page.mock.calls[0]![0]).toMatchObject({ limit: FIRST_PAGE, cursor: null });
    const rest = fake.page.mock.calls.slice(1).map((c) => c[0].limit as number);
    expect(rest.every((limit) => limit === REST_PAGE)).toBe(true);
    expect(rest.length).toBe(Math.ceil((100_000 - FIRST_PAGE) / REST_PAGE));
    expect(log.inserted).toBe(100_000);
    expect(log.ready).toEqual([[100_000, true]]);
    expect(log.finished).toBe(true);
  });

  it('tells the view less often when telling it is costly', async () => {
    servePages(100_000);
    const { log, hooks: h } = hooks();
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    // Each page takes 50 ms to arrive, each update of the view 300 ms.
    fake.page.mockImplementation(async ({ limit, cursor }: { limit: number; cursor: string | null }) => {
      clock += 50;
      const from = cursor ? Number(cursor) : 0;
      const to = Math.min(100_000, from + limit);
      return { items: range(from, to), nextCursor: to < 100_000 ? String(to) : null };
    });
    h.publish = () => void ((clock += 300), log.publishes++);
    await loadTree('s', h, () => undefined);
    now.mockRestore();
    // 20 rest pages; with a fixed 150 ms interval nearly every page would have been published.
    expect(log.publishes).toBeLessThanOrEqual(3);
    expect(log.inserted).toBe(100_000);
  });

  it('stops when the view moved on', async () => {
    servePages(20_000);
    const { log, hooks: h } = hooks();
    let live = true;
    h.current = () => live;
    h.insert = (nodes) => ((log.inserted += nodes.length), (live = false), true);
    await loadTree('s', h, () => undefined);
    expect(log.inserted).toBe(FIRST_PAGE);
    expect(log.finished).toBe(false);
  });
});
