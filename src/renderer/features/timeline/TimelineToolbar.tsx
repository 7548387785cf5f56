// The timeline's legend (every colour also named) and its zoom buttons.
import { Button } from '../../components/Button';
import { PHASE_LABEL, zoomAround, type Phase, type TimeView } from './bars';
import type { Zoom } from './useTimelineView';

const LEGEND: Phase[] = ['user', 'model', 'thinking', 'writing', 'approval', 'tool', 'error'];

export function TimelineToolbar({ view, zoom, setZoom }: { view: TimeView | null; zoom: Zoom; setZoom: (zoom: Zoom) => void }) {
  const zoomBy = (factor: number) => view && setZoom(zoomAround(view, (view.startMs + view.endMs) / 2, factor));
  return (
    <div className="timeline-toolbar">
      <ul className="timeline-legend" aria-label="Legend">
        {LEGEND.map((phase) => (
          <li key={phase}>
            <span className={`timeline-swatch swatch-${phase}`} aria-hidden="true" />
            {PHASE_LABEL[phase]}
          </li>
        ))}
        <li>
          <span className="timeline-swatch swatch-ttft" aria-hidden="true" />
          first token
        </li>
      </ul>
      <span className="toolbar-spacer" />
      <Button size="sm" variant="ghost" icon="plus" label="Zoom in (+)" onClick={() => zoomBy(0.5)} />
      <Button size="sm" variant="ghost" icon="minus" label="Zoom out (−)" onClick={() => zoomBy(2)} />
      <Button size="sm" variant="ghost" onClick={() => setZoom(null)} aria-pressed={zoom === null} title="Fit the entries on screen (0)" data-testid="timeline-fit">
        Fit rows
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setZoom('whole')} aria-pressed={zoom === 'whole'} title="Fit the whole run (W)" data-testid="timeline-whole">
        Whole run
      </Button>
    </div>
  );
}
