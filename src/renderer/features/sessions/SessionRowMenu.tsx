// The "More actions" menu of a session row (APG menu button): Pin/Unpin, Tags…, Archive, Delete.
// Opens from its button, from Shift+F10 or the context-menu key on the row, or a right click;
// arrows move, Escape closes and gives focus back to the row.
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import type { Session } from '../../../shared/domain';
import { Icon, type IconName } from '../../components/Icon';
import { useSessionsStore } from './store';
import { useTagDialog } from './TagDialog';

interface Item {
  id: string;
  label: string;
  icon: IconName;
  danger?: boolean;
  run: () => void;
}

function itemsFor(session: Session): Item[] {
  const s = useSessionsStore.getState();
  return [
    session.pinnedAt
      ? { id: 'unpin', label: 'Unpin', icon: 'pin', run: () => void s.pin(session.id, false) }
      : { id: 'pin', label: 'Pin to top', icon: 'pin', run: () => void s.pin(session.id, true) },
    { id: 'tags', label: 'Tags…', icon: 'tag', run: () => useTagDialog.getState().open(session.id) },
    session.archivedAt
      ? { id: 'unarchive', label: 'Unarchive', icon: 'archive', run: () => void s.unarchive(session.id) }
      : { id: 'archive', label: 'Archive', icon: 'archive', run: () => void s.archive(session.id) },
    { id: 'delete', label: 'Delete', icon: 'trash', danger: true, run: () => void s.remove(session.id) },
  ];
}

export interface RowMenuProps {
  session: Session;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The row's own button: focus goes back there when the menu closes without an action. */
  anchorRef: RefObject<HTMLElement | null>;
  tabIndex: number;
}

export function SessionRowMenu({ session, open, onOpenChange, anchorRef, tabIndex }: RowMenuProps) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="session-item-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`More actions for ${session.name || 'Untitled session'}`}
        title="More actions (Shift+F10)"
        tabIndex={tabIndex}
        onClick={() => onOpenChange(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            onOpenChange(true);
          }
        }}
        data-testid="session-menu-button"
      >
        <Icon name="more" size={16} />
      </button>
      {open ? <Menu session={session} trigger={buttonRef} anchor={anchorRef} onClose={() => onOpenChange(false)} /> : null}
    </>
  );
}

function Menu({ session, trigger, anchor, onClose }: { session: Session; trigger: RefObject<HTMLElement | null>; anchor: RefObject<HTMLElement | null>; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const items = itemsFor(session);
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const returnFocus = () => (anchor.current ?? trigger.current)?.focus();

  // Fixed to the viewport below the trigger (above it near the bottom), so the scrolling list
  // never clips it.
  useLayoutEffect(() => {
    const t = trigger.current?.getBoundingClientRect();
    const m = ref.current?.getBoundingClientRect();
    if (!t || !m) return;
    const below = t.bottom + 4 + m.height <= window.innerHeight - 8;
    setPos({ top: below ? t.bottom + 4 : Math.max(8, t.top - 4 - m.height), left: Math.max(8, Math.min(t.right - m.width, window.innerWidth - m.width - 8)) });
  }, [trigger]);

  // Focus the first item once the menu is placed (a hidden element cannot take focus).
  const placed = pos !== null;
  useEffect(() => {
    if (placed) ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [placed]);

  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node) && !trigger.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose, trigger]);

  const move = (delta: number | 'first' | 'last') => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    const next = delta === 'first' ? 0 : delta === 'last' ? all.length - 1 : (i + delta + all.length) % all.length;
    all[next]?.focus();
  };

  return createPortal(
    <div
      ref={ref}
      role="menu"
      aria-label={`Actions for ${session.name || 'Untitled session'}`}
      className="row-menu"
      style={pos ? { top: pos.top, left: pos.left } : { visibility: 'hidden', top: 0, left: 0 }}
      data-testid="session-menu"
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown') move(1);
        else if (e.key === 'ArrowUp') move(-1);
        else if (e.key === 'Home') move('first');
        else if (e.key === 'End') move('last');
        else if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
          returnFocus();
        } else if (e.key === 'Tab') onClose();
        else return;
        e.preventDefault();
      }}
    >
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={`row-menu-item${item.danger ? ' is-danger' : ''}`}
          onClick={() => {
            onClose();
            returnFocus();
            item.run();
          }}
          data-testid={`session-menu-${item.id}`}
        >
          <Icon name={item.icon} size={14} />
          <span>{item.label}</span>
        </button>
      ))}
    </div>,
    document.body,
  );
}
