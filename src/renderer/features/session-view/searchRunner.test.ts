import { describe, expect, it, vi } from 'vitest';
import type { LogNode } from '../../../shared/domain';
import { createTreeIndex, upsertNodes } from './tree/treeIndex';

const fake = { searchPage: vi.fn(), search: vi.fn() };
vi.mock('../../lib/api', () => ({ api: () => ({ logs: fake }) }));

const { EMPTY_SEARCH, runSessionSearch } = await import('./searchRunner');
type SearchState = typeof EMPTY_SEARCH;

const node = (i: number, content: string): LogNode =>
  ({ id: `n${i}`, sessionId: 's', parentId: null, seq: i, content, toolName: null, toolArgs: null, toolResult: null, childCount: 0 }) as unknown as LogNode;
const hit = (i: number) => ({ nodeId: `n${i}` });

function setup(nodes: LogNode[]) {
  const index = createTreeIndex();
  upsertNodes(index, nodes);
  let search: SearchState = { ...EMPTY_SEARCH, query: 'harbor', status: 'searching' };
  const states: SearchState[] = [];
  const revealed: string[] = [];
  const hooks = {
    sessionId: 's',
    index: () => index,
    search: () => search,
    current: () => true,
    setSearch: (next: SearchState) => void states.push((search = next)),
    reveal: (id: string) => void revealed.push(id),
  };
  return { hooks, states, revealed, stepTo: (i: number) => (search = { ...search, current: i }) };
}

describe('search inside the session', () => {
  it('reveals the first page’s first hit before the rest is asked for, then merges keeping the place', async () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(i, i % 2 === 0 ? 'the harbor' : 'sea'));
    const { hooks, states, revealed, stepTo } = setup(nodes);
    fake.searchPage.mockResolvedValue({ items: [hit(0), hit(2), hit(4)], nextCursor: 'more' });
    let answer: (hits: unknown[]) => void = () => undefined;
    fake.search.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const done = runSessionSearch('harbor', hooks);
    await vi.waitFor(() => expect(fake.search).toHaveBeenCalled());
    // Shown and revealed while the full search is still out.
    expect(fake.searchPage.mock.calls[0]![0]).toMatchObject({ query: 'harbor', sessionId: 's', order: 'tree', limit: 50 });
    expect(states[0]).toMatchObject({ matches: ['n0', 'n2', 'n4'], current: 0, status: 'done', truncated: true });
    expect(revealed).toEqual(['n0']);
    stepTo(1); // the reader pressed Enter: now on n2
    answer(Array.from({ length: 100 }, (_, k) => hit(k * 2)));
    await done;
    const last = states.at(-1)!;
    expect(last.matches).toHaveLength(100);
    expect(last.matches[last.current]).toBe('n2');
    expect(last.truncated).toBe(false);
    expect(revealed).toEqual(['n0']);
  });

  it('finds words inside words among loaded nodes when the index has no hit', async () => {
    const { hooks, states, revealed } = setup([node(0, 'sea'), node(1, 'the harbormaster')]);
    fake.searchPage.mockResolvedValue({ items: [], nextCursor: null });
    fake.search.mockClear();
    await runSessionSearch('bormas', hooks);
    expect(fake.search).not.toHaveBeenCalled();
    expect(states.at(-1)).toMatchObject({ matches: ['n1'], current: 0, status: 'done' });
    expect(revealed).toEqual(['n1']);
  });

  it('reports a failure only when nothing matched', async () => {
    const { hooks, states } = setup([node(0, 'sea')]);
    fake.searchPage.mockRejectedValue(new Error('offline'));
    await runSessionSearch('harbor', hooks);
    expect(states.at(-1)).toMatchObject({ matches: [], status: 'error', error: 'offline' });
  });
});
