// Renders the one pending confirmation from the ui slice. The safe choice (Cancel) gets the
// initial focus so a stray Enter never destroys anything.
import { useRef } from 'react';
import { selectConfirm, useUiStore } from '../state/ui';
import { Button } from './Button';
import { Dialog } from './Dialog';

export function ConfirmDialogHost() {
  const request = useUiStore(selectConfirm);
  const settle = useUiStore((s) => s.settleConfirm);
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={request !== null}
      role="alertdialog"
      size="sm"
      title={request?.title ?? ''}
      description={request?.message}
      onRequestClose={() => settle(false)}
      initialFocusRef={cancelRef}
      testId="confirm-dialog"
      footer={
        <>
          <Button ref={cancelRef} onClick={() => settle(false)}>
            Cancel
          </Button>
          {request?.alternativeLabel ? (
            <Button onClick={() => settle('alternative')} data-testid="confirm-alternative">
              {request.alternativeLabel}
            </Button>
          ) : null}
          <Button variant={request?.tone === 'danger' ? 'danger' : 'primary'} onClick={() => settle(true)} data-testid="confirm-ok">
            {request?.confirmLabel ?? 'Confirm'}
          </Button>
        </>
      }
    >
      {null}
    </Dialog>
  );
}
