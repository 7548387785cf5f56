// The resizable right edges of the first two panes, rendered inside each pane (so they sit in
// its landmark) and wired to the persisted widths in the ui slice.
import { PANE_LIMITS, selectPaneWidths, useUiStore } from '../state/ui';
import { PaneResizer } from './PaneResizer';

export function PaneEdge({ pane }: { pane: 'agents' | 'sessions' }) {
  const widths = useUiStore(selectPaneWidths);
  const setPaneWidth = useUiStore((s) => s.setPaneWidth);
  return (
    <div className="pane-edge">
      <PaneResizer
        label={pane === 'agents' ? 'Resize agents pane' : 'Resize sessions pane'}
        value={widths[pane]}
        {...PANE_LIMITS[pane]}
        onChange={(w) => setPaneWidth(pane, w)}
        testId={`resize-${pane}`}
      />
    </div>
  );
}
