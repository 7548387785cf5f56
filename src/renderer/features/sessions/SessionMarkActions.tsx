// Pin and Tags buttons for the open session's header (the row menu and the command palette
// offer the same actions).
import type { Session } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { useSessionsStore } from './store';
import { useTagDialog } from './TagDialog';

export function SessionMarkActions({ session }: { session: Session }) {
  const pinned = Boolean(session.pinnedAt);
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        icon="pin"
        aria-pressed={pinned}
        className={pinned ? 'is-pressed' : undefined}
        label="Pin session to the top of the list (Alt+Shift+P)"
        aria-keyshortcuts="Alt+Shift+P"
        onClick={() => void useSessionsStore.getState().pin(session.id, !pinned)}
        data-testid="session-pin"
      />
      <Button size="sm" variant="ghost" icon="tag" label="Edit tags (Alt+Shift+T)" aria-keyshortcuts="Alt+Shift+T" onClick={() => useTagDialog.getState().open(session.id)} data-testid="session-tags-button" />
    </>
  );
}
