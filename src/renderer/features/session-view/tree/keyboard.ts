// Keyboard behaviour of the log tree, as a pure function of the visible rows so it can be
// unit-tested without a DOM. Follows the WAI-ARIA APG tree view pattern.
import type { VisibleRow } from './visibleRows';

export type TreeCommand =
  | { type: 'focus'; index: number }
  | { type: 'expand'; id: string }
  | { type: 'collapse'; id: string; focusIndex: number }
  | { type: 'toggle'; id: string }
  | { type: 'toggleDetails'; id: string }
  | { type: 'none' };

const PAGE = 10;

export function treeKeyCommand(rows: readonly VisibleRow[], activeIndex: number, key: string): TreeCommand {
  if (rows.length === 0) return { type: 'none' };
  const index = Math.min(Math.max(activeIndex, 0), rows.length - 1);
  const row = rows[index]!;
  const last = rows.length - 1;
  switch (key) {
    case 'ArrowDown':
      return { type: 'focus', index: Math.min(index + 1, last) };
    case 'ArrowUp':
      return { type: 'focus', index: Math.max(index - 1, 0) };
    case 'PageDown':
      return { type: 'focus', index: Math.min(index + PAGE, last) };
    case 'PageUp':
      return { type: 'focus', index: Math.max(index - PAGE, 0) };
    case 'Home':
      return { type: 'focus', index: 0 };
    case 'End':
      return { type: 'focus', index: last };
    case 'ArrowRight':
      if (!row.hasChildren) return { type: 'none' };
      if (!row.expanded) return { type: 'expand', id: row.id };
      // Expanded: step into the first child when it is loaded.
      if (index < last && rows[index + 1]!.level > row.level) return { type: 'focus', index: index + 1 };
      return { type: 'none' };
    case 'ArrowLeft': {
      if (row.hasChildren && row.expanded) return { type: 'collapse', id: row.id, focusIndex: index };
      const parent = parentRowIndex(rows, index);
      return parent >= 0 ? { type: 'focus', index: parent } : { type: 'none' };
    }
    case 'Enter':
    case ' ':
      return row.hasChildren ? { type: 'toggle', id: row.id } : { type: 'toggleDetails', id: row.id };
    default:
      return { type: 'none' };
  }
}

/** The row index of the nearest row above with a smaller level, or -1 at the top level. */
export function parentRowIndex(rows: readonly VisibleRow[], index: number): number {
  const level = rows[index]?.level ?? 1;
  for (let i = index - 1; i >= 0; i--) if (rows[i]!.level < level) return i;
  return -1;
}
