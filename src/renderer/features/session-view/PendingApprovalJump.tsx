// "Approval needed ↓": shown over the log whenever a tool call waits for the user and its card
// is not on screen (scrolled away, or not rendered by the virtualised tree), so a waiting run
// never hides below the fold. Activating it scrolls to the card and focuses its Approve button.
import { useEffect, useRef, useState } from 'react';
import { Button } from '../../components/Button';
import { useSessionViewStore, type SessionViewState } from './store';

/** The first tool call (in tree order of arrival) that waits for an answer, or null. */
export function selectFirstPendingApproval(s: SessionViewState): string | null {
  // A tool call waits only while its session does: no scan of a running or finished log.
  const waiting = s.session?.status === 'waiting_for_user_input' || s.session?.status === 'interrupted';
  if (!waiting) return null;
  for (const node of s.index.nodes.values()) {
    if (node.kind !== 'action') continue;
    if (node.status === 'pending_approval') return node.id;
    if (node.status === 'interrupted' && node.metadata.interruptedFrom === 'pending_approval') {
      const continued = (s.index.children.get(node.parentId) ?? []).some((id) => s.index.nodes.get(id)?.causeId === node.id);
      if (!continued) return node.id;
    }
  }
  return null;
}

export function PendingApprovalJump() {
  const pendingId = useSessionViewStore(selectFirstPendingApproval);
  const [visible, setVisible] = useState(true);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!pendingId) return undefined;
    const region = ref.current?.parentElement;
    const scroller = region?.querySelector<HTMLElement>('.tree-scroll');
    if (!region || !scroller) return undefined;
    const check = () => {
      const card = region.querySelector<HTMLElement>(`[data-node-id="${pendingId}"] [data-testid="approval-card"]`);
      if (!card) return setVisible(false);
      const a = card.getBoundingClientRect();
      const b = scroller.getBoundingClientRect();
      // "On screen" = its buttons can be reached: the bottom half of the card is in view.
      setVisible(a.top + a.height / 2 < b.bottom && a.bottom > b.top);
    };
    check();
    scroller.addEventListener('scroll', check, { passive: true });
    const observer = new MutationObserver(check);
    observer.observe(scroller, { childList: true, subtree: true });
    return () => {
      scroller.removeEventListener('scroll', check);
      observer.disconnect();
    };
  }, [pendingId]);

  return (
    <div ref={ref} className="jump-to-approval">
      {pendingId && !visible ? (
        <Button
          size="sm"
          variant="primary"
          icon="hand"
          onClick={() => {
            useSessionViewStore.getState().revealNode(pendingId);
            const focusApprove = () => {
              const button = document.querySelector<HTMLElement>(`[data-node-id="${pendingId}"] [data-testid="approve-once"]`);
              if (button) button.focus();
              return Boolean(button);
            };
            // The row mounts once the tree has scrolled to it.
            let tries = 0;
            const retry = () => !focusApprove() && ++tries < 30 && requestAnimationFrame(retry);
            requestAnimationFrame(retry);
          }}
          data-testid="jump-to-approval"
        >
          Approval needed ↓
        </Button>
      ) : null}
    </div>
  );
}
