// Ctrl/Cmd+K: every action of the app by name, with its shortcut. Type to filter, arrows to
// move, Enter to run. Actions that cannot run right now are listed, disabled, so the palette
// also teaches what exists.
import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Dialog } from '../components/Dialog';
import { whenNoModalOpen } from '../lib/modal';
import { selectOverlay, useUiStore } from '../state/ui';
import { COMMANDS, ariaKeys, formatKeys, type Command } from './commands';

export function CommandPalette() {
  const open = useUiStore(selectOverlay) === 'palette';
  const close = () => useUiStore.getState().setOverlay(null);
  return (
    <Dialog open={open} title="Command palette" onRequestClose={close} size="md" testId="command-palette">
      {open ? <PaletteBody onClose={close} /> : null}
    </Dialog>
  );
}

function PaletteBody({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  // Enabled state is read when the palette opens (what is possible right now).
  const enabled = useMemo(() => new Map(COMMANDS.map((c) => [c.id, c.enabled()] as const)), []);
  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return COMMANDS.filter((c) => c.id !== 'palette' && words.every((w) => `${c.label} ${c.group}`.toLowerCase().includes(w)));
  }, [query]);

  const run = (command: Command | undefined) => {
    if (!command || !enabled.get(command.id)) return;
    onClose();
    // After the dialog has closed and returned focus, so the action's own focus moves stick.
    void whenNoModalOpen().then(() => command.run());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (shown.length > 0) setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : -1) + shown.length) % shown.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      run(shown[active]);
    }
  };
  return (
    <div className="palette">
      <input
        ref={inputRef}
        className="input palette-input"
        role="combobox"
        aria-label="Type a command"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={shown[active] ? `${listId}-${shown[active].id}` : undefined}
        placeholder="Type a command…"
        autoFocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        data-testid="palette-input"
      />
      <ul id={listId} role="listbox" aria-label="Commands" className="palette-list">
        {shown.length === 0 ? (
          <li className="palette-empty" role="presentation">
            No command matches “{query}”.
          </li>
        ) : (
          shown.map((c, i) => (
            <li
              key={c.id}
              id={`${listId}-${c.id}`}
              role="option"
              aria-selected={i === active}
              aria-disabled={!enabled.get(c.id) || undefined}
              className={`palette-item${i === active ? ' is-active' : ''}`}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => run(c)}
              data-testid="palette-item"
              data-command={c.id}
            >
              <span className="palette-label">{c.label}</span>
              <span className="palette-group">{c.group}</span>
              {c.keys ? (
                <kbd className="palette-keys" aria-label={`Shortcut ${ariaKeys(c.keys)}`}>
                  {formatKeys(c.keys)}
                </kbd>
              ) : null}
            </li>
          ))
        )}
      </ul>
    </div>
  );
}
