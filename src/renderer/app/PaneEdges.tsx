// The right edges of the first two panes, rendered inside each pane (so they sit in its
// landmark): a resizer wired to the persisted widths, and a button that folds the pane to a
// narrow rail (remembered too) and unfolds it again.
import { Icon } from '../components/Icon';
import { PANE_LIMITS, selectCollapsed, selectPaneWidths, useUiStore } from '../state/ui';
import { PaneResizer } from './PaneResizer';

export function PaneEdge({ pane }: { pane: 'agents' | 'sessions' }) {
  const widths = useUiStore(selectPaneWidths);
  const collapsed = useUiStore(selectCollapsed)[pane];
  const { setPaneWidth, togglePane } = useUiStore.getState();
  const noun = pane === 'agents' ? 'agents' : 'sessions';
  const shortcut = pane === 'agents' ? 'Alt+1' : 'Alt+2';
  return (
    <>
      <button
        type="button"
        className={`pane-collapse${collapsed ? ' is-collapsed' : ''}`}
        aria-expanded={!collapsed}
        aria-label={collapsed ? `Show ${noun} pane` : `Hide ${noun} pane`}
        title={`${collapsed ? 'Show' : 'Hide'} the ${noun} pane (${shortcut})`}
        onClick={() => togglePane(pane)}
        data-testid={`toggle-${pane}`}
      >
        <Icon name={collapsed ? 'chevronRight' : 'chevronLeft'} size={14} />
        {collapsed ? <span className="pane-rail-label">{pane === 'agents' ? 'Agents' : 'Sessions'}</span> : null}
      </button>
      {collapsed ? null : (
        <div className="pane-edge">
          <PaneResizer
            label={pane === 'agents' ? 'Resize agents pane' : 'Resize sessions pane'}
            value={widths[pane]}
            {...PANE_LIMITS[pane]}
            onChange={(w) => setPaneWidth(pane, w)}
            testId={`resize-${pane}`}
          />
        </div>
      )}
    </>
  );
}
