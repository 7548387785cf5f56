// Toasts in a polite live region (errors assertive). Each stays while hovered or focused, so
// there is time to reach its Undo button with the keyboard (F8 focuses the newest one).
import { useEffect, useRef, useState } from 'react';
import { selectToasts, useUiStore, type Toast } from '../state/ui';
import { Icon } from './Icon';

export function Toasts() {
  const toasts = useUiStore(selectToasts);
  const dismiss = useUiStore((s) => s.dismissToast);
  // One stack in the bottom-right corner, above the composer (its height is published as
  // --composer-height), so no toast ever sits over the header's or the composer's buttons.
  return (
    <div className="toast-stack" data-testid="toast-stack">
      <section className="toasts" aria-label="Notifications" aria-live="polite" aria-relevant="additions" data-testid="toasts">
        {toasts
          .filter((t) => t.tone !== 'error')
          .map((t) => (
            <ToastItem key={t.id} toast={t} onDismiss={() => dismiss(t.id)} />
          ))}
      </section>
      <section className="toasts toasts-errors" aria-label="Errors" role="alert" aria-live="assertive">
        {toasts
          .filter((t) => t.tone === 'error')
          .map((t) => (
            <ToastItem key={t.id} toast={t} onDismiss={() => dismiss(t.id)} />
          ))}
      </section>
    </div>
  );
}

/** Moves focus to the newest toast's first button (its action, else Dismiss); false when none. */
export function focusNewestToast(): boolean {
  const toasts = document.querySelectorAll<HTMLElement>('.toast-stack [data-testid="toast"]');
  const newest = toasts[toasts.length - 1];
  const button = newest?.querySelector<HTMLElement>('button');
  button?.focus();
  return Boolean(button);
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  const [paused, setPaused] = useState(false);
  const dismissRef = useRef(onDismiss);
  dismissRef.current = onDismiss;
  useEffect(() => {
    if (paused) return undefined;
    const timer = setTimeout(() => dismissRef.current(), toast.timeoutMs);
    return () => clearTimeout(timer);
  }, [paused, toast.timeoutMs]);
  const icon = toast.tone === 'error' ? 'alert' : toast.tone === 'success' ? 'check' : 'info';
  return (
    <div
      className={`toast toast-${toast.tone}`}
      data-testid="toast"
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <Icon name={icon} className="toast-icon" />
      <span className="toast-message">{toast.message}</span>
      {toast.action ? (
        <button
          type="button"
          className="toast-action"
          onClick={() => {
            toast.action?.run();
            onDismiss();
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button type="button" className="toast-close" aria-label="Dismiss notification" onClick={onDismiss}>
        <Icon name="x" size={14} />
      </button>
    </div>
  );
}
