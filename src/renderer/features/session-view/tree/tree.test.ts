import { describe, expect, it } from 'vitest';
import type { LogNode } from '../../../../shared/domain';
import { allInTreeOrder, ancestorsOf, applyNodeUpdate, createTreeIndex, patchNode, upsertNodes, type TreeIndex } from './treeIndex';
import { allParents, flattenVisible, rowIndexOf } from './visibleRows';
import { computeRollups, spanMs } from './rollups';
import { parentRowIndex, treeKeyCommand } from './keyboard';
import { orderMatches, revealInCollapsed, searchLoaded, stepMatch } from './search';

let counter = 0;
function node(id: string, parentId: string | null, seq: number, extra: Partial<LogNode> = {}): LogNode {
  counter++;
  return {
    id,
    sessionId: 's1',
    parentId,
    causeId: null,
    seq,
    depth: 0,
    kind: 'assistant_message',
    role: null,
    status: 'complete',
    content: `content of ${id}`,
    metadata: {},
    model: null,
    provider: null,
    tokensIn: 0,
    tokensOut: 0,
    tokensReasoning: 0,
    costUsd: 0,
    startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, counter)).toISOString(),
    endedAt: null,
    toolName: null,
    toolArgs: null,
    toolResult: null,
    durationMs: null,
    childCount: 0,
    ...extra,
  };
}

/**
 *  a
 *  ├─ b
 *  │  └─ c
 *  └─ d
 *  e
 */
function sample(): TreeIndex {
  const index = createTreeIndex();
  upsertNodes(index, [
    node('a', null, 0, { childCount: 2 }),
    node('b', 'a', 0, { childCount: 1 }),
    node('c', 'b', 0),
    node('d', 'a', 1),
    node('e', null, 1),
  ]);
  return index;
}

describe('tree index', () => {
  it('keeps siblings in seq order whatever the arrival order', () => {
    const index = createTreeIndex();
    upsertNodes(index, [node('p', null, 0), node('x3', 'p', 3), node('x1', 'p', 1), node('x2', 'p', 2), node('x0', 'p', 0)]);
    expect(index.children.get('p')).toEqual(['x0', 'x1', 'x2', 'x3']);
  });

  it('reports content-only updates as non-structural and moves re-parented nodes', () => {
    const index = sample();
    const r1 = upsertNodes(index, [{ ...index.nodes.get('c')!, content: 'grown' }]);
    expect(r1).toEqual({ structural: false, updated: true });
    expect(index.nodes.get('c')!.content).toBe('grown');
    const r2 = upsertNodes(index, [{ ...index.nodes.get('c')!, parentId: 'd' }]);
    expect(r2.structural).toBe(true);
    expect(index.children.get('b')).toEqual([]);
    expect(index.children.get('d')).toEqual(['c']);
  });

  it('applies streamed updates: fields replaced, text appended, identity kept', () => {
    const base = node('n', null, 0, { content: 'Hel', status: 'streaming' });
    const grown = applyNodeUpdate(base, { textDelta: 'lo' });
    expect(grown.content).toBe('Hello');
    expect(base.content).toBe('Hel');
    const done = applyNodeUpdate(grown, { textDelta: '!', changes: { status: 'complete', tokensOut: 3, id: 'other' } as Partial<LogNode> });
    expect(done).toMatchObject({ id: 'n', content: 'Hello!', status: 'complete', tokensOut: 3 });
    expect(applyNodeUpdate(base, { changes: { content: 'Replaced ' }, textDelta: 'and more' }).content).toBe('Replaced and more');
  });

  it('patches a loaded node and ignores an unknown one', () => {
    const index = sample();
    expect(patchNode(index, 'c', { status: 'interrupted' })!.status).toBe('interrupted');
    expect(patchNode(index, 'zzz', { status: 'interrupted' })).toBeNull();
  });

  it('lists ancestors nearest first and survives a cycle', () => {
    const index = sample();
    expect(ancestorsOf(index, 'c')).toEqual(['b', 'a']);
    expect(ancestorsOf(index, 'a')).toEqual([]);
    const cyclic = createTreeIndex();
    upsertNodes(cyclic, [node('m', 'n', 0), node('n', 'm', 0)]);
    expect(ancestorsOf(cyclic, 'm')).toEqual(['n']);
  });

  it('walks the whole tree in pre-order', () => {
    expect(allInTreeOrder(sample())).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('flattenVisible', () => {
  it('gives every row its ARIA level, position and set size', () => {
    const rows = flattenVisible(sample(), new Set());
    expect(rows.map((r) => [r.id, r.level, r.posInSet, r.setSize, r.hasChildren, r.expanded])).toEqual([
      ['a', 1, 1, 2, true, true],
      ['b', 2, 1, 2, true, true],
      ['c', 3, 1, 1, false, false],
      ['d', 2, 2, 2, false, false],
      ['e', 1, 2, 2, false, false],
    ]);
  });

  it('hides the descendants of collapsed nodes', () => {
    expect(flattenVisible(sample(), new Set(['b'])).map((r) => r.id)).toEqual(['a', 'b', 'd', 'e']);
    expect(flattenVisible(sample(), new Set(['a'])).map((r) => r.id)).toEqual(['a', 'e']);
    const collapsedAll = flattenVisible(sample(), allParents(sample()));
    expect(collapsedAll.map((r) => [r.id, r.expanded])).toEqual([
      ['a', false],
      ['e', false],
    ]);
  });

  it('treats a node whose children are not loaded yet as expandable', () => {
    const index = createTreeIndex();
    upsertNodes(index, [node('a', null, 0, { childCount: 5 })]);
    expect(flattenVisible(index, new Set())[0]).toMatchObject({ hasChildren: true, expanded: true });
  });

  it('flattens a 100,000-node tree', () => {
    const index = createTreeIndex();
    const batch: LogNode[] = [];
    for (let i = 0; i < 1000; i++) {
      batch.push(node(`t${i}`, null, i, { childCount: 99 }));
      for (let j = 0; j < 99; j++) batch.push(node(`t${i}-${j}`, `t${i}`, j));
    }
    upsertNodes(index, batch);
    const rows = flattenVisible(index, new Set());
    expect(rows).toHaveLength(100_000);
    expect(rows[101]).toMatchObject({ id: 't1-0', level: 2, posInSet: 1, setSize: 99 });
    expect(rowIndexOf(rows, 't999-98')).toBe(99_999);
  });
});

describe('roll-ups', () => {
  // Reasoning tokens are part of the output tokens: counted once (c has 100 out, 60 of them reasoning).
  it('sums tokens and cost over the subtree and spans its duration', () => {
    const index = createTreeIndex();
    upsertNodes(index, [
      node('a', null, 0, { tokensIn: 1, startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:00:01.000Z' }),
      node('b', 'a', 0, { tokensOut: 10, costUsd: 0.5, startedAt: '2025-01-01T00:00:00.500Z', endedAt: '2025-01-01T00:00:03.000Z' }),
      node('c', 'b', 0, { tokensOut: 100, tokensReasoning: 60, costUsd: 0.25, startedAt: '2025-01-01T00:00:01.000Z', durationMs: 4000 }),
      node('d', 'a', 1, { tokensIn: 1000 }),
    ]);
    const totals = computeRollups(index);
    expect(totals.get('a')).toMatchObject({ tokens: 1111, costUsd: 0.75, count: 4 });
    expect(totals.get('b')).toMatchObject({ tokens: 110, costUsd: 0.75, count: 2 });
    expect(spanMs(totals.get('b')!)).toBe(4500);
    expect(totals.has('c')).toBe(false);
  });
});

describe('keyboard', () => {
  const rows = flattenVisible(sample(), new Set());
  it('moves with arrows, Home, End and PageDown, clamped', () => {
    expect(treeKeyCommand(rows, 0, 'ArrowDown')).toEqual({ type: 'focus', index: 1 });
    expect(treeKeyCommand(rows, 4, 'ArrowDown')).toEqual({ type: 'focus', index: 4 });
    expect(treeKeyCommand(rows, 0, 'ArrowUp')).toEqual({ type: 'focus', index: 0 });
    expect(treeKeyCommand(rows, 3, 'Home')).toEqual({ type: 'focus', index: 0 });
    expect(treeKeyCommand(rows, 0, 'End')).toEqual({ type: 'focus', index: 4 });
    expect(treeKeyCommand(rows, 0, 'PageDown')).toEqual({ type: 'focus', index: 4 });
  });

  it('Right expands a collapsed parent, then enters its first child', () => {
    const collapsedRows = flattenVisible(sample(), new Set(['a']));
    expect(treeKeyCommand(collapsedRows, 0, 'ArrowRight')).toEqual({ type: 'expand', id: 'a' });
    expect(treeKeyCommand(rows, 0, 'ArrowRight')).toEqual({ type: 'focus', index: 1 });
    expect(treeKeyCommand(rows, 2, 'ArrowRight')).toEqual({ type: 'none' });
  });

  it('Left collapses an expanded parent, otherwise goes to the parent row', () => {
    expect(treeKeyCommand(rows, 1, 'ArrowLeft')).toEqual({ type: 'collapse', id: 'b', focusIndex: 1 });
    expect(treeKeyCommand(rows, 2, 'ArrowLeft')).toEqual({ type: 'focus', index: 1 });
    expect(treeKeyCommand(rows, 3, 'ArrowLeft')).toEqual({ type: 'focus', index: 0 });
    expect(treeKeyCommand(rows, 4, 'ArrowLeft')).toEqual({ type: 'none' });
    expect(parentRowIndex(rows, 4)).toBe(-1);
  });

  it('Enter and Space toggle children, or the details of a leaf', () => {
    expect(treeKeyCommand(rows, 0, 'Enter')).toEqual({ type: 'toggle', id: 'a' });
    expect(treeKeyCommand(rows, 2, ' ')).toEqual({ type: 'toggleDetails', id: 'c' });
    expect(treeKeyCommand([], 0, 'ArrowDown')).toEqual({ type: 'none' });
    expect(treeKeyCommand(rows, 0, 'x')).toEqual({ type: 'none' });
  });
});

describe('search and reveal', () => {
  it('finds matches in content, tool name and arguments, in tree order', () => {
    const index = sample();
    patchNode(index, 'd', { toolName: 'read_file', toolArgs: { path: '/etc/Hosts' }, content: '' });
    expect(searchLoaded(index, 'CONTENT')).toEqual(['a', 'b', 'c', 'e']);
    expect(searchLoaded(index, 'read_')).toEqual(['d']);
    expect(searchLoaded(index, 'hosts')).toEqual(['d']);
    expect(searchLoaded(index, '   ')).toEqual([]);
  });

  it('expands exactly the collapsed ancestors of a match so it becomes visible', () => {
    const index = sample();
    const collapsed = new Set(['a', 'b']);
    const revealed = revealInCollapsed(index, collapsed, 'c');
    expect([...revealed]).toEqual([]);
    expect(rowIndexOf(flattenVisible(index, revealed), 'c')).toBe(2);
    const untouched = new Set(['x']);
    expect(revealInCollapsed(index, untouched, 'c')).toBe(untouched);
  });

  it('orders server matches by tree order, unloaded ones last', () => {
    expect(orderMatches(sample(), ['e', 'zz', 'c'])).toEqual(['c', 'e', 'zz']);
  });

  it('steps through matches with wrap-around', () => {
    expect(stepMatch(-1, 3, 1)).toBe(0);
    expect(stepMatch(-1, 3, -1)).toBe(2);
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });
});
