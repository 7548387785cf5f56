// Edits one session's tags: the current ones as chips with a remove button each, and a field
// that suggests tags already in use (a native <datalist>, so arrows and Enter pick one).
// Every change is saved at once; Escape or Done closes and focus returns where it was.
import { useId, useRef, useState } from 'react';
import { create } from 'zustand';
import { SESSION_TAG_RULES } from '../../../shared/domain';
import { sessionTagSchema } from '../../../shared/ipc/schemas';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { useSessionViewStore } from '../session-view/store';
import type { Session } from '../../../shared/domain';
import { api } from '../../lib/api';
import { runAction } from '../../state/runAction';
import { useSessionsStore } from './store';
import { TagSuggestions } from './TagSuggestions';

interface TagDialogState {
  /** The session being tagged, as of its last change here (it may leave a filtered list meanwhile). */
  session: Session | null;
  open: (id: string) => void;
  update: (session: Session) => void;
  close: () => void;
}

export const useTagDialog = create<TagDialogState>()((set) => ({
  session: null,
  open: (id) => {
    void useSessionsStore.getState().loadTagSuggestions();
    const view = useSessionViewStore.getState().session;
    const known = useSessionsStore.getState().items.find((x) => x.id === id) ?? (view?.id === id ? view : undefined);
    if (known) set({ session: known });
    else void runAction('Could not open the tags', async () => set({ session: await api().sessions.get({ id }) }));
  },
  update: (session) => set((s) => (s.session?.id === session.id ? { session } : {})),
  close: () => set({ session: null }),
}));

/** A typed tag, normalised, or the reason it is not one. */
export function parseTag(text: string): { tag: string } | { error: string } {
  const parsed = sessionTagSchema.safeParse(text);
  return parsed.success ? { tag: parsed.data } : { error: parsed.error.issues[0]?.message ?? 'Not a valid tag' };
}

export function TagDialog() {
  const session = useTagDialog((s) => s.session);
  const close = useTagDialog((s) => s.close);
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <Dialog
      open={session !== null}
      title="Tags"
      description={session ? `Tags of “${session.name || 'Untitled session'}”. Filter the session list by them.` : undefined}
      onRequestClose={close}
      size="sm"
      testId="tag-dialog"
      initialFocusRef={inputRef}
      footer={
        <Button variant="primary" onClick={close} data-testid="tag-dialog-done">
          Done
        </Button>
      }
    >
      {session ? <TagEditor sessionId={session.id} tags={session.tags ?? []} inputRef={inputRef} /> : null}
    </Dialog>
  );
}

function TagEditor({ sessionId, tags, inputRef }: { sessionId: string; tags: string[]; inputRef: React.RefObject<HTMLInputElement | null> }) {
  const { draft, error, edit, add, remove } = useTagEdits(sessionId, tags, inputRef);
  const listId = useId();
  const inputId = useId();
  const errorId = useId();
  const full = tags.length >= SESSION_TAG_RULES.maxTags;

  return (
    <div className="tag-editor">
      <TagChips tags={tags} onRemove={(t, i) => void remove(t, i)} />
      <form
        className="tag-editor-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor={inputId}>
            Add a tag
          </label>
          <input
            ref={inputRef}
            id={inputId}
            className="input"
            list={listId}
            value={draft}
            maxLength={SESSION_TAG_RULES.maxLength + 10}
            placeholder={full ? `At most ${SESSION_TAG_RULES.maxTags} tags` : 'e.g. bug, release/2.0'}
            disabled={full}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => edit(e.target.value)}
            data-testid="tag-input"
          />
          <TagSuggestions id={listId} chosen={tags} />
          {error ? (
            <p id={errorId} className="field-error" role="alert" data-testid="tag-error">
              {error}
            </p>
          ) : (
            <p className="field-hint">Letters and digits, with - _ . / inside; up to {SESSION_TAG_RULES.maxLength} characters.</p>
          )}
        </div>
        <Button type="submit" size="sm" icon="plus" disabled={full || draft.trim() === ''} data-testid="tag-add">
          Add
        </Button>
      </form>
    </div>
  );
}

/** The typed tag and its error, and adding or removing a tag (saved at once). */
function useTagEdits(sessionId: string, tags: string[], inputRef: React.RefObject<HTMLInputElement | null>) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const tag = useSessionsStore((s) => s.tag);

  const edit = (text: string) => {
    setDraft(text);
    setError(null);
  };
  const add = async () => {
    const parsed = parseTag(draft);
    if ('error' in parsed) return setError(parsed.error);
    if (tags.includes(parsed.tag)) return setError(`Already tagged #${parsed.tag}`);
    setError(null);
    const changed = await tag(sessionId, [parsed.tag], []);
    if (changed) {
      useTagDialog.getState().update(changed);
      setDraft('');
    }
    inputRef.current?.focus();
  };
  const remove = async (t: string, index: number) => {
    const changed = await tag(sessionId, [], [t]);
    if (changed) useTagDialog.getState().update(changed);
    // Focus moves to a neighbour (or the field), never to <body>.
    requestAnimationFrame(() => {
      const chips = document.querySelectorAll<HTMLElement>('[data-testid="tag-remove"]');
      (chips[Math.min(index, chips.length - 1)] ?? inputRef.current)?.focus();
    });
  };
  return { draft, error, edit, add, remove };
}

function TagChips({ tags, onRemove }: { tags: string[]; onRemove: (tag: string, index: number) => void }) {
  if (tags.length === 0) return <p className="tag-editor-empty">No tags yet.</p>;
  return (
    <ul className="tag-editor-list" aria-label="Current tags">
      {tags.map((t, i) => (
        <li key={t} className="tag-chip tag-chip-removable">
          <span>#{t}</span>
          <button type="button" className="tag-chip-remove" aria-label={`Remove tag ${t}`} title={`Remove tag ${t}`} onClick={() => onRemove(t, i)} data-testid="tag-remove">
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
