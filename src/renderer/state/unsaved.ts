// Forms report whether they hold unsaved changes; the dialog around them asks before closing
// (Esc, Close, the backdrop) instead of throwing a half-filled form away.
import { useEffect } from 'react';
import { create } from 'zustand';
import { confirmAction } from './ui';

const useUnsaved = create<{ dirty: Record<string, true> }>()(() => ({ dirty: {} }));

/** Reports `dirty` for this form while it is mounted. */
export function useReportUnsaved(key: string, dirty: boolean): void {
  useEffect(() => {
    useUnsaved.setState((s) => {
      const { [key]: _was, ...rest } = s.dirty;
      return { dirty: dirty ? { ...rest, [key]: true } : rest };
    });
    return () =>
      useUnsaved.setState((s) => {
        const { [key]: _was, ...rest } = s.dirty;
        return { dirty: rest };
      });
  }, [key, dirty]);
}

export function hasUnsaved(prefix = ''): boolean {
  return Object.keys(useUnsaved.getState().dirty).some((k) => k.startsWith(prefix));
}

/** True when it is fine to close: nothing unsaved, or the user chose to discard it. */
export async function mayDiscard(prefix = ''): Promise<boolean> {
  if (!hasUnsaved(prefix)) return true;
  return confirmAction({
    title: 'Discard unsaved changes?',
    message: 'This form has changes that are not saved. Closing it throws them away.',
    confirmLabel: 'Discard changes',
    tone: 'danger',
  });
}
