// First guesses of each row's height, before the row is measured. The virtualiser positions
// unmeasured rows with these, so a close guess keeps the scrollbar and the rows below from
// jumping when real heights arrive. Pure and cheap: computed for every visible row at once.
import type { LogNode } from '../../../shared/domain';
import type { TreeIndex } from './tree/treeIndex';
import type { VisibleRow } from './tree/visibleRows';

/** Row padding + card padding and border + the header line. */
const CHROME = 43;
const LINE = 20;
const CHARS_PER_LINE = 110;
const MAX_TEXT_LINES = 30;

/** Wrapped lines of a text, from its length only: O(1), as it runs for every row. */
function textLines(length: number, max: number): number {
  return length === 0 ? 0 : Math.min(max, Math.ceil(length / CHARS_PER_LINE));
}

export function estimateNodeHeight(node: LogNode | undefined): number {
  if (!node) return CHROME;
  switch (node.kind) {
    case 'user_message':
    case 'assistant_message':
      return CHROME + 8 + textLines(node.content.length, MAX_TEXT_LINES) * LINE;
    case 'thought':
      return CHROME + 30 + textLines(Math.min(400, node.content.length), 6) * LINE;
    // Arguments and results are one folded line until opened.
    case 'action':
      return CHROME + 34 + (node.toolResult !== null ? 34 : 0);
    case 'observation':
      return CHROME + 34;
    case 'error':
      return CHROME + 24;
    default:
      return CHROME + textLines(node.content.length, MAX_TEXT_LINES) * LINE;
  }
}

/** A compact row: one line, its body only when opened (then measured). */
export const COMPACT_ROW = 30;

export function estimateRowHeights(index: TreeIndex, rows: readonly VisibleRow[], compact = false): Float64Array {
  const out = new Float64Array(rows.length);
  if (compact) return out.fill(COMPACT_ROW);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const node = index.nodes.get(row.id);
    // A step drawn in two rows: its header, and its answer after its thinking.
    if (row.bodyBelow) out[i] = CHROME;
    else if (row.answer) out[i] = 16 + textLines(node?.content.length ?? 0, MAX_TEXT_LINES) * LINE;
    else out[i] = estimateNodeHeight(node);
  }
  return out;
}
