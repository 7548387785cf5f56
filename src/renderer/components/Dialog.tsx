// Modal dialog on the native <dialog> element: showModal() gives the top layer, makes the rest
// of the page inert (a real focus trap) and turns Escape into a "cancel" event we route to
// onRequestClose, so callers can guard unsaved changes.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  onRequestClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  role?: 'dialog' | 'alertdialog';
  testId?: string;
  /** Element to focus first (defaults to the first focusable element). */
  initialFocusRef?: React.RefObject<HTMLElement | null>;
  headerExtra?: ReactNode;
  /** A body of text only that may scroll: it takes focus itself, so the keyboard can scroll it. */
  focusableBody?: boolean;
}

export function Dialog({ open, title, description, onRequestClose, children, footer, size = 'md', role = 'dialog', testId, initialFocusRef, headerExtra, focusableBody }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const closeRef = useRef(onRequestClose);
  closeRef.current = onRequestClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const previouslyFocused = document.activeElement as HTMLElement | null;
      dialog.showModal();
      initialFocusRef?.current?.focus();
      return () => {
        if (dialog.open) dialog.close();
        // Return focus where it came from, as the APG dialog pattern asks.
        if (previouslyFocused && document.contains(previouslyFocused)) previouslyFocused.focus();
      };
    }
    return undefined;
  }, [open, initialFocusRef]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const onCancel = (event: Event) => {
      event.preventDefault();
      closeRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => dialog.removeEventListener('cancel', onCancel);
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onMouseDown={(event) => {
        // A click on the backdrop (the dialog element itself, outside its box) asks to close.
        if (event.target === ref.current) {
          const rect = ref.current.getBoundingClientRect();
          const inside = event.clientX >= rect.left && event.clientX <= rect.right && event.clientY >= rect.top && event.clientY <= rect.bottom;
          if (!inside) closeRef.current();
        }
      }}
    >
      {open ? (
        <div className="dialog-frame">
          <header className="dialog-header">
            <div className="dialog-heading">
              <h2 id={titleId} className="dialog-title">
                {title}
              </h2>
              {description ? (
                <p id={descriptionId} className="dialog-description">
                  {description}
                </p>
              ) : null}
            </div>
            {headerExtra}
          </header>
          {focusableBody ? (
            <div className="dialog-body" tabIndex={0} role="region" aria-labelledby={titleId}>
              {children}
            </div>
          ) : (
            <div className="dialog-body">{children}</div>
          )}
          {footer ? <footer className="dialog-footer">{footer}</footer> : null}
        </div>
      ) : null}
    </dialog>
  );
}
