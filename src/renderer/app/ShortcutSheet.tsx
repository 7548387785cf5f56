// "?": every keyboard shortcut, grouped, from the same list the palette and the key handler use.
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { selectOverlay, useUiStore } from '../state/ui';
import { COMMANDS, formatKeys, type Command } from './commands';

const GROUPS: Command['group'][] = ['Run', 'Sessions', 'Agents', 'Navigation', 'App'];
/** Keys handled where they apply (not global commands), listed so the sheet is complete. */
const LOCAL_KEYS: Array<{ label: string; keys: string; group: Command['group'] }> = [
  { label: 'Send from the composer (Shift+Enter: new line)', keys: 'Enter', group: 'Run' },
  { label: 'Move in the log tree; open and close a node', keys: '↑ ↓ ← →', group: 'Navigation' },
  { label: 'First / last entry of the log', keys: 'Home / End', group: 'Navigation' },
  { label: 'Move between agents or sessions in a list', keys: '↑ ↓', group: 'Navigation' },
  { label: 'Close a dialog (asks first when there are unsaved changes)', keys: 'Esc', group: 'App' },
];

export function ShortcutSheet() {
  const open = useUiStore(selectOverlay) === 'shortcuts';
  const close = () => useUiStore.getState().setOverlay(null);
  return (
    <Dialog open={open} title="Keyboard shortcuts" onRequestClose={close} size="md" testId="shortcut-sheet" focusableBody footer={<Button onClick={close}>Close</Button>}>
      <div className="shortcut-sheet">
        {GROUPS.map((group) => (
          <section key={group} aria-label={group}>
            <h3 className="shortcut-group">{group}</h3>
            <dl className="shortcut-list">
              {COMMANDS.filter((c) => c.group === group && c.keys).map((c) => (
                <div key={c.id} className="shortcut-row">
                  <dt>{c.label}</dt>
                  <dd>
                    <kbd>{formatKeys(c.keys!)}</kbd>
                  </dd>
                </div>
              ))}
              {LOCAL_KEYS.filter((k) => k.group === group).map((k) => (
                <div key={k.label} className="shortcut-row">
                  <dt>{k.label}</dt>
                  <dd>
                    <kbd>{k.keys}</kbd>
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
