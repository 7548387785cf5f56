// The session log tree: an ARIA tree drawn through a virtualiser. The visible rows are a flat
// array derived from the tree and the collapsed set; only the rows on screen exist in the DOM
// (measured for their real height), so 100,000 nodes scroll like 100. Focus is a roving
// tabindex: the active row is the one tab stop and keyboard moves scroll it into view first.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent, type RefObject } from 'react';
import { useSessionViewStore, type SessionViewState } from './store';
import { selectActiveId, selectReveal } from './selectors';
import { treeRowsOf, useVisibleRows } from './useVisibleRows';
import { useTraceStore } from './traceStore';
import { copyText } from './CopyButton';
import { copyableText } from './nodePresentation';
import { LogRow } from './LogRow';
import { highlightTerms } from './searchHighlight';
import { treeKeyCommand } from './tree/keyboard';
import { estimateRowHeights } from './rowHeight';
import { rowIndexOf, type VisibleRow } from './tree/visibleRows';
import type { TreeIndex } from './tree/treeIndex';
import { useFollowTail } from './useFollowTail';

/** Rows mounted beyond each edge of the viewport. Every extra row is paid on every frame of a
 *  fast scroll (each frame shows rows never seen before), so keep it small. */
const OVERSCAN = 3;

export function LogTree({ label }: { label: string }) {
  const index = useSessionViewStore((s) => s.index);
  const activeId = useSessionViewStore(selectActiveId);
  const reveal = useSessionViewStore(selectReveal);
  const currentMatch = useSessionViewStore((s) => (s.search.current >= 0 ? (s.search.matches[s.search.current] ?? null) : null));
  const searchQuery = useSessionViewStore((s) => (s.search.status === 'done' ? s.search.query : ''));
  const { setActive, toggle } = useSessionViewStore.getState();

  // Recomputed when the (mutable) index changes shape or a node is collapsed; shared with the
  // timeline. The tree draws them with answer rows after thinking (tree/answerRows.ts); keyboard
  // moves and counts go by the node rows.
  const nodeRows = useVisibleRows();
  const rows = treeRowsOf(index, nodeRows);
  // Per-row height estimates, computed once per rows change: the virtualiser asks for the
  // estimate of every unmeasured row after a measured one, so this must be an array read.
  const compact = useTraceStore((s) => s.density === 'compact');
  const estimates = useMemo(() => estimateRowHeights(index, rows, compact), [index, rows, compact]);
  const activeIndex = useMemo(() => (activeId ? rowIndexOf(rows, activeId) : -1), [rows, activeId]);
  const activeNodeIndex = useMemo(() => (rows === nodeRows ? activeIndex : activeId ? rowIndexOf(nodeRows, activeId) : -1), [rows, nodeRows, activeIndex, activeId]);
  const tabIndexRow = activeIndex >= 0 ? activeIndex : 0;

  const treeRef = useRef<HTMLDivElement>(null);
  const { scrollRef, virtualizer, readerScrolls, scrollToRow } = useTreeVirtualizer(rows, estimates);
  const focusRow = useRowFocus(treeRef, rows, reveal, scrollToRow);

  // Mark the search terms in whatever rows are mounted after each render (cheap: ~20 rows).
  useEffect(() => {
    highlightTerms(treeRef.current, searchQuery);
  });
  useEffect(() => () => highlightTerms(null, ''), []);

  // Follow the tail while the log grows live (reader at the end), and open where the reader left.
  const totalSize = virtualizer.getTotalSize();
  const scrollToEnd = useCallback(() => {
    if (rows.length > 0) scrollToRow(rows.length - 1, 'end');
  }, [rows.length, scrollToRow]);
  const follow = useFollowTail(scrollRef, rows.length, totalSize, scrollToEnd);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => onTreeKey(event, { index, activeId, rows, nodeRows, activeNodeIndex, focusRow });
  const onActivate = useCallback((id: string) => setActive(id), [setActive]);
  const onToggle = useCallback((id: string) => toggle(id), [toggle]);

  const items = virtualizer.getVirtualItems();
  // The tab stop must be a mounted row, or Tab would skip the tree once it scrolled away.
  const tabbableIndex = items.some((item) => item.index === tabIndexRow) ? tabIndexRow : (items[0]?.index ?? 0);
  return (
    <div
      ref={scrollRef}
      className="tree-scroll"
      data-testid="log-tree-scroll"
      onWheel={readerScrolls}
      onTouchStart={readerScrolls}
      onPointerDown={readerScrolls}
      onScroll={(event) => follow.onScroll(event.currentTarget)}
    >
      <div
        ref={treeRef}
        role="tree"
        aria-label={label}
        className="log-tree"
        style={{ height: totalSize }}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          // Focus arriving by Tab lands on the tab-stop row: make it the active one.
          const id = (event.target as HTMLElement).dataset.nodeId;
          if (id && id !== useSessionViewStore.getState().activeId) setActive(id);
        }}
        data-testid="log-tree"
        data-row-count={nodeRows.length}
      >
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <LogRow
              key={rowKey(row)}
              row={row}
              index={item.index}
              start={item.start}
              active={item.index === activeIndex}
              tabbable={item.index === tabbableIndex}
              isMatch={row.id === currentMatch}
              measureRef={virtualizer.measureElement}
              onActivate={onActivate}
              onToggle={onToggle}
            />
          );
        })}
      </div>
    </div>
  );
}

type ScrollToRow = (i: number, align: 'auto' | 'center' | 'end') => void;

/** The virtualiser over the rows, and scrolling to a row on the tree's own behalf. */
function useTreeVirtualizer(rows: readonly VisibleRow[], estimates: Float64Array) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Stable per rows: the virtualiser rebuilds every row's position (O(rows)) whenever
  // getItemKey changes identity, so a fresh arrow per render would cost that on every frame.
  const getItemKey = useCallback((i: number) => rowKey(rows[i]) ?? i, [rows]);
  const estimateSize = useCallback((i: number) => estimates[i] ?? 0, [estimates]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: OVERSCAN,
    getItemKey,
    // Measurements and scroll updates re-render in React's normal batch (once per frame), not
    // synchronously per measured row: a synchronous render per row was most of a fast scroll.
    useFlushSync: false,
  });

  // While the reader scrolls down (wheel, fling, scrollbar drag), rows measured above the
  // viewport are rows the scroll jumped past: keeping the content still for them is pointless,
  // and each such correction forces the virtualiser to re-position every row below at once
  // (O(rows) per measured row). Scrolling up, at rest, or while the tree itself scrolls to a
  // row (keyboard, search; the virtualiser corrects its way to the target) keeps the default.
  // The tree's own scroll lasts until the reader takes over (wheel, touch, pointer): a fixed time
  // window was not enough on a loaded machine, where the virtualiser was still correcting its way
  // to an End/search target when the window closed and the target row slid out of view.
  const ownScroll = useRef(false);
  const readerScrolls = useCallback(() => {
    ownScroll.current = false;
  }, []);
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange ??= (item, _delta, instance) => {
    if (instance.isScrolling && instance.scrollDirection === 'forward' && !ownScroll.current) return false;
    const offset = instance.scrollOffset ?? 0;
    if (!instance.itemSizeCache.has(item.key)) return item.start < offset;
    return item.end <= offset && instance.scrollDirection !== 'backward';
  };
  const scrollToRow = useCallback<ScrollToRow>(
    (i, align) => {
      ownScroll.current = true;
      virtualizer.scrollToIndex(i, { align });
    },
    [virtualizer],
  );
  return { scrollRef, virtualizer, readerScrolls, scrollToRow };
}

/** Moves DOM focus to a row the keyboard or a reveal request asked for, once it is mounted;
 *  returns the keyboard's "focus row i". */
function useRowFocus(treeRef: RefObject<HTMLDivElement | null>, rows: readonly VisibleRow[], reveal: SessionViewState['reveal'], scrollToRow: ScrollToRow) {
  const pendingFocus = useRef<number | null>(null);
  const focusRow = useCallback(
    (i: number) => {
      pendingFocus.current = i;
      scrollToRow(i, 'auto');
    },
    [scrollToRow],
  );

  // After each render, move DOM focus to the row the keyboard asked for once it is mounted.
  useLayoutEffect(() => {
    const i = pendingFocus.current;
    if (i === null) return;
    const element = treeRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`);
    if (element) {
      element.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
  });

  // Search and other callers ask to reveal a node: scroll it to the middle of the viewport.
  useEffect(() => {
    if (!reveal) return;
    const i = rowIndexOf(rows, reveal.id);
    if (i < 0) return;
    if (reveal.focus) pendingFocus.current = i;
    scrollToRow(i, 'center');
    // A row already on screen gets no new render from the scroll: focus it now.
    const mounted = reveal.focus ? treeRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`) : null;
    if (mounted) {
      mounted.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
    // Heights of rows between here and there are estimates; settle once they are measured.
    const timer = setTimeout(() => scrollToRow(i, 'center'), 80);
    return () => clearTimeout(timer);
    // Only a new reveal request (nonce) should scroll; rows changing must not re-trigger it.
  }, [reveal?.nonce]);
  return focusRow;
}

interface TreeKeyContext {
  index: TreeIndex;
  activeId: string | null;
  rows: readonly VisibleRow[];
  nodeRows: readonly VisibleRow[];
  activeNodeIndex: number;
  focusRow: (i: number) => void;
}

/** A key on a focused row: C copies the entry, the rest are the tree's moves and toggles. */
function onTreeKey(event: KeyboardEvent<HTMLDivElement>, { index, activeId, rows, nodeRows, activeNodeIndex, focusRow }: TreeKeyContext) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if ((event.target as HTMLElement).getAttribute('role') !== 'treeitem') return;
  // C copies the focused entry: its text, or a tool call's arguments and result.
  if (event.key === 'c' && activeId) {
    const node = index.nodes.get(activeId);
    if (node) void copyText(copyableText(node));
    return;
  }
  const command = treeKeyCommand(nodeRows, activeNodeIndex >= 0 ? activeNodeIndex : 0, event.key);
  if (command.type === 'none') return;
  event.preventDefault();
  const { setActive, toggle, expand, collapse, toggleDetails } = useSessionViewStore.getState();
  switch (command.type) {
    case 'focus': {
      const row = nodeRows[command.index];
      if (!row) break;
      setActive(row.id);
      focusRow(rows === nodeRows ? command.index : rowIndexOf(rows, row.id));
      break;
    }
    case 'expand':
      expand(command.id);
      break;
    case 'collapse':
      collapse(command.id);
      break;
    case 'toggle':
      toggle(command.id);
      break;
    case 'toggleDetails':
      toggleDetails(command.id);
      break;
  }
}

function rowKey(row: VisibleRow | undefined): string | undefined {
  return row && (row.answer ? `${row.id}:answer` : row.id);
}
