// Controls of a running replay: play/pause, speed, skip waits, a scrubber and the position.
// A toolbar in the page, not a dialog: the tree stays the one tree on screen and keeps its
// keyboard, focus and search while a replay runs.
import { Button } from '../../components/Button';
import { formatDuration } from '../../lib/format';
import { SPEEDS, useReplayStore } from './store';

export function ReplayBar() {
  const s = useReplayStore();
  if (s.status === 'idle') return null;
  const length = Math.max(0, s.endMs - s.startMs);
  const at = Math.max(0, s.cursorMs - s.startMs);
  return (
    <div className="replay-bar" role="toolbar" aria-label="Replay" data-testid="replay-bar">
      {s.status === 'loading' ? (
        <span role="status">
          <span className="spinner spinner-sm" aria-hidden="true" /> Loading the recording…
        </span>
      ) : s.status === 'error' ? (
        <span role="alert" className="replay-error">
          Could not load the recording: {s.error}
        </span>
      ) : (
        <>
          <Button size="sm" variant="secondary" icon={s.playing ? 'pause' : 'play'} onClick={s.playing ? s.pause : s.play} data-testid="replay-play">
            {s.playing ? 'Pause' : 'Play'}
          </Button>
          <div className="segmented" role="group" aria-label="Speed">
            {SPEEDS.map((speed) => (
              <button key={speed} type="button" className="segmented-item" aria-pressed={s.speed === speed} onClick={() => s.setSpeed(speed)} data-testid={`replay-speed-${speed}`}>
                {speed}×
              </button>
            ))}
          </div>
          <label className="replay-skip">
            <input type="checkbox" checked={s.skipWaits} onChange={(e) => s.setSkipWaits(e.target.checked)} data-testid="replay-skip" /> Skip waits
          </label>
          <input
            type="range"
            className="replay-scrubber"
            aria-label="Replay position"
            aria-valuetext={`${formatDuration(at) || '0ms'} of ${formatDuration(length) || '0ms'}`}
            min={0}
            max={Math.max(1, Math.round(length))}
            step={10}
            value={Math.round(at)}
            onChange={(e) => s.seek(s.startMs + Number(e.target.value))}
            data-testid="replay-scrubber"
          />
          <span className="replay-time" data-testid="replay-time">
            {formatDuration(at) || '0ms'} / {formatDuration(length) || '0ms'}
          </span>
        </>
      )}
      <Button size="sm" variant="ghost" icon="x" onClick={s.close} data-testid="replay-close">
        End replay
      </Button>
    </div>
  );
}
