// The inspection controls of the open session in one strip: tree or tree + timeline, compact
// density, replay (the session or the selected entry's subtree), compare with another run and
// the usage dashboard. Mounted by one line in the session view; TraceSplit puts the timeline
// beside the tree.
import { useEffect, useState, type ReactNode } from 'react';
import { Button } from '../../components/Button';
import { ReplayBar } from '../replay/ReplayBar';
import { useReplayStore } from '../replay/store';
import { Timeline } from '../timeline/Timeline';
import { useTimelineStore } from '../timeline/store';
import { CompareDialog } from '../compare/CompareDialog';
import { UsageDialog } from '../usage/UsageDialog';
import { useSessionViewStore } from './store';
import { useTraceStore } from './traceStore';

export function TraceToolbar() {
  const sessionId = useSessionViewStore((s) => s.sessionId);
  const activeId = useSessionViewStore((s) => s.activeId);
  const activeHasChildren = useSessionViewStore((s) => (s.activeId ? (s.index.children.get(s.activeId)?.length ?? 0) > 0 : false));
  const view = useTraceStore((s) => s.view);
  const density = useTraceStore((s) => s.density);
  const replaying = useReplayStore((s) => s.status !== 'idle');
  const [dialog, setDialog] = useState<'compare' | 'usage' | null>(null);

  // A replay and the timeline's fetched figures belong to one session.
  useEffect(() => {
    useReplayStore.getState().close();
    useTimelineStore.getState().reset();
  }, [sessionId]);

  if (!sessionId) return null;
  const { setView, setDensity } = useTraceStore.getState();
  return (
    <>
      <div className="trace-toolbar" role="toolbar" aria-label="Inspect" data-testid="trace-toolbar">
        <div className="segmented" role="group" aria-label="View">
          <button type="button" className="segmented-item" aria-pressed={view === 'tree'} onClick={() => setView('tree')} data-testid="view-tree">
            Tree
          </button>
          <button type="button" className="segmented-item" aria-pressed={view === 'timeline'} onClick={() => setView('timeline')} data-testid="view-timeline">
            Timeline
          </button>
        </div>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          aria-pressed={density === 'compact'}
          onClick={() => setDensity(density === 'compact' ? 'comfortable' : 'compact')}
          data-testid="density-compact"
        >
          Compact
        </button>
        <span className="toolbar-spacer" />
        <Button size="sm" variant="ghost" icon="play" disabled={replaying} onClick={() => void useReplayStore.getState().open(sessionId)} data-testid="replay-open">
          Replay
        </Button>
        <Button
          size="sm"
          variant="ghost"
          icon="play"
          disabled={replaying || !activeHasChildren}
          title="Replay the selected entry and everything under it"
          onClick={() => activeId && void useReplayStore.getState().open(sessionId, activeId)}
          data-testid="replay-subtree"
        >
          Replay entry
        </Button>
        <Button size="sm" variant="ghost" icon="columns" onClick={() => setDialog('compare')} data-testid="compare-open">
          Compare…
        </Button>
        <Button size="sm" variant="ghost" icon="chart" onClick={() => setDialog('usage')} data-testid="usage-open">
          Usage
        </Button>
      </div>
      <ReplayBar />
      {dialog === 'compare' ? <CompareDialog sessionId={sessionId} onClose={() => setDialog(null)} /> : null}
      {dialog === 'usage' ? <UsageDialog onClose={() => setDialog(null)} /> : null}
    </>
  );
}

/** The tree alone, or the tree and its timeline side by side. The tree keeps the same parent
 *  either way: a different wrapper remounted it, and re-creating a 100,000-row tree (estimates,
 *  virtualiser, scroll position) was most of the time from "Timeline" to its first paint. */
export function TraceSplit({ children }: { children: ReactNode }) {
  const view = useTraceStore((s) => s.view);
  const split = view === 'timeline';
  return (
    <div className={split ? 'trace-split is-split' : 'trace-split'}>
      <div className="trace-split-tree">{children}</div>
      {split ? <Timeline /> : null}
    </div>
  );
}
