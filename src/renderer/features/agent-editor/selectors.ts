// Named selectors of the agent-editor store: components subscribe to exactly what they draw.
import { isDraftDirty, type DraftErrors, type DraftField } from './agentForm';
import type { EditorState } from './store';

export const selectEditorOpen = (s: EditorState) => s.isOpen;
export const selectDraft = (s: EditorState) => s.draft;
export const selectIsDirty = (s: EditorState) => isDraftDirty(s.initial, s.draft);
/** Errors show once a field was left or a save was attempted, never while typing the first letter. */
export const selectVisibleErrors = (s: EditorState): DraftErrors => {
  if (s.submitted) return s.errors;
  const out: DraftErrors = {};
  for (const [field, message] of Object.entries(s.errors) as [DraftField, string][]) if (s.touched.has(field)) out[field] = message;
  return out;
};
