// Thinking shown where it happened in the stream. A model call is one assistant_message node:
// its answer text is the node's own content and its thoughts are child nodes, so a tree drawn
// parent-first puts the answer above the thinking that preceded it. Within one model call the
// provider streams its thinking before the text (Anthropic's thinking blocks, OpenAI-style
// reasoning_content), so the tree draws such a step as: its header row, its thoughts, then a
// row with its answer text, then its tool calls.
import type { TreeIndex } from './treeIndex';
import type { VisibleRow } from './visibleRows';

function leadsWithThought(index: TreeIndex, rows: readonly VisibleRow[], i: number): boolean {
  const row = rows[i]!;
  if (!row.expanded) return false;
  const node = index.nodes.get(row.id);
  if (node?.kind !== 'assistant_message' || (node.content === '' && node.status !== 'streaming')) return false;
  const next = rows[i + 1];
  return next !== undefined && next.level === row.level + 1 && index.nodes.get(next.id)?.kind === 'thought';
}

/** The rows the tree draws: `rows` with an answer row after the thoughts of such steps. */
export function withAnswerRows(index: TreeIndex, rows: readonly VisibleRow[]): readonly VisibleRow[] {
  let first = -1;
  for (let i = 0; i < rows.length && first < 0; i++) if (leadsWithThought(index, rows, i)) first = i;
  if (first < 0) return rows;
  const out: VisibleRow[] = rows.slice(0, first);
  for (let i = first; i < rows.length; i++) {
    const row = rows[i]!;
    if (!leadsWithThought(index, rows, i)) {
      out.push(row);
      continue;
    }
    out.push({ ...row, bodyBelow: true });
    // The step's leading thoughts (and anything under them), then its answer.
    let j = i + 1;
    while (j < rows.length && (rows[j]!.level > row.level + 1 || (rows[j]!.level === row.level + 1 && index.nodes.get(rows[j]!.id)?.kind === 'thought'))) out.push(rows[j++]!);
    out.push({ id: row.id, parentId: row.id, level: row.level + 1, posInSet: 0, setSize: 0, hasChildren: false, expanded: false, answer: true });
    i = j - 1;
  }
  return out;
}

/** The tree rows without answer rows: what keyboard moves and counts go by. */
export function isNodeRow(row: VisibleRow): boolean {
  return row.answer !== true;
}
