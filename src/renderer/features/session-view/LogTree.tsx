// The session log tree: an ARIA tree drawn through a virtualiser. The visible rows are a flat
// array derived from the tree and the collapsed set; only the rows on screen exist in the DOM
// (measured for their real height), so 100,000 nodes scroll like 100. Focus is a roving
// tabindex: the active row is the one tab stop and keyboard moves scroll it into view first.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { selectActiveId, selectCollapsed, selectReveal, selectStructureVersion, useSessionViewStore } from '../../state/sessionView';
import { LogRow } from './LogRow';
import { highlightTerms } from './searchHighlight';
import { treeKeyCommand } from './tree/keyboard';
import { flattenVisible, rowIndexOf } from './tree/visibleRows';

const ESTIMATED_ROW = 76;

export function LogTree({ label }: { label: string }) {
  const index = useSessionViewStore((s) => s.index);
  const structureVersion = useSessionViewStore(selectStructureVersion);
  const collapsed = useSessionViewStore(selectCollapsed);
  const activeId = useSessionViewStore(selectActiveId);
  const reveal = useSessionViewStore(selectReveal);
  const currentMatch = useSessionViewStore((s) => (s.search.current >= 0 ? (s.search.matches[s.search.current] ?? null) : null));
  const searchQuery = useSessionViewStore((s) => (s.search.status === 'done' ? s.search.query : ''));
  const { setActive, toggle, expand, collapse, toggleDetails } = useSessionViewStore.getState();

  // structureVersion is the signal that the (mutable) index changed shape.
  const rows = useMemo(() => flattenVisible(index, collapsed), [index, structureVersion, collapsed]);
  const activeIndex = useMemo(() => (activeId ? rowIndexOf(rows, activeId) : -1), [rows, activeId]);
  const tabIndexRow = activeIndex >= 0 ? activeIndex : 0;

  const scrollRef = useRef<HTMLDivElement>(null);
  const treeRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<number | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW,
    overscan: 6,
    getItemKey: (i) => rows[i]?.id ?? i,
  });

  const focusRow = useCallback(
    (i: number) => {
      pendingFocus.current = i;
      virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [virtualizer],
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
    virtualizer.scrollToIndex(i, { align: 'center' });
    // Heights of rows between here and there are estimates; settle once they are measured.
    const timer = setTimeout(() => virtualizer.scrollToIndex(i, { align: 'center' }), 80);
    return () => clearTimeout(timer);
    // Only a new reveal request (nonce) should scroll; rows changing must not re-trigger it.
    }, [reveal?.nonce]);

  // Mark the search terms in whatever rows are mounted after each render (cheap: ~20 rows).
  useEffect(() => {
    highlightTerms(treeRef.current, searchQuery);
  });
  useEffect(() => () => highlightTerms(null, ''), []);

  // Follow the tail while the log grows live, but only if the reader is already at the bottom.
  const atBottom = useRef(false);
  const previousCount = useRef(rows.length);
  useLayoutEffect(() => {
    const grew = rows.length > previousCount.current;
    previousCount.current = rows.length;
    if (grew && atBottom.current && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [rows.length, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if ((event.target as HTMLElement).getAttribute('role') !== 'treeitem') return;
    const command = treeKeyCommand(rows, activeIndex >= 0 ? activeIndex : 0, event.key);
    if (command.type === 'none') return;
    event.preventDefault();
    switch (command.type) {
      case 'focus': {
        const row = rows[command.index];
        if (row) setActive(row.id);
        focusRow(command.index);
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
  };

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
      onScroll={(event) => {
        const el = event.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      <div
        ref={treeRef}
        role="tree"
        aria-label={label}
        className="log-tree"
        style={{ height: virtualizer.getTotalSize() }}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          // Focus arriving by Tab lands on the tab-stop row: make it the active one.
          const id = (event.target as HTMLElement).dataset.nodeId;
          if (id && id !== useSessionViewStore.getState().activeId) setActive(id);
        }}
        data-testid="log-tree"
        data-row-count={rows.length}
      >
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <LogRow
              key={row.id}
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
