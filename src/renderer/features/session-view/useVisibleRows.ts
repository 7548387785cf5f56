// The visible rows of the open session, shared by the tree and the timeline: flattening a
// 100,000-node tree costs tens of milliseconds, so both views read one memoised result.
import { useSessionViewStore } from './store';
import { selectCollapsed, selectStructureVersion } from './selectors';
import { flattenVisible, type VisibleRow } from './tree/visibleRows';
import type { TreeIndex } from './tree/treeIndex';
import { replayTracks, useReplayStore } from '../replay/store';
import { withAnswerRows } from './tree/answerRows';

let memo: { index: TreeIndex; version: number; collapsed: ReadonlySet<string>; rows: VisibleRow[] } | null = null;

export function visibleRowsOf(index: TreeIndex, version: number, collapsed: ReadonlySet<string>): VisibleRow[] {
  if (memo && memo.index === index && memo.version === version && memo.collapsed === collapsed) return memo.rows;
  const rows = flattenVisible(index, collapsed);
  memo = { index, version, collapsed, rows };
  return rows;
}

let replayMemo: { rows: VisibleRow[]; started: number; filtered: VisibleRow[] } | null = null;

/** During a replay, only the rows whose node had started at the replay's cursor. */
function replayRows(rows: VisibleRow[], started: number): VisibleRow[] {
  const tracks = replayTracks();
  if (started < 0 || !tracks) return rows;
  if (replayMemo && replayMemo.rows === rows && replayMemo.started === started) return replayMemo.filtered;
  const at = useReplayStore.getState().cursorMs;
  const filtered = rows.filter((row) => {
    const track = tracks.byId.get(row.id);
    return !track || track.startMs <= at;
  });
  replayMemo = { rows, started, filtered };
  return filtered;
}

export function useVisibleRows(): VisibleRow[] {
  const index = useSessionViewStore((s) => s.index);
  const version = useSessionViewStore(selectStructureVersion);
  const collapsed = useSessionViewStore(selectCollapsed);
  const sessionId = useSessionViewStore((s) => s.sessionId);
  const started = useReplayStore((s) => (s.status === 'ready' && s.sessionId === sessionId ? s.startedCount : -1));
  return replayRows(visibleRowsOf(index, version, collapsed), started);
}

let treeMemo: { rows: VisibleRow[]; out: readonly VisibleRow[] } | null = null;

/** The rows the tree draws: the visible rows plus the answer rows of steps that thought first. */
export function treeRowsOf(index: TreeIndex, rows: VisibleRow[]): readonly VisibleRow[] {
  if (treeMemo && treeMemo.rows === rows) return treeMemo.out;
  const out = withAnswerRows(index, rows);
  treeMemo = { rows, out };
  return out;
}
