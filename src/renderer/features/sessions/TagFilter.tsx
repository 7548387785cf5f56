// Filters the session list by tags: a field suggesting the agent's tags in use (pick with the
// arrows and Enter, or type one), the active tags as removable chips, and Clear. A session is
// listed when it carries every chosen tag.
import { useId, useState } from 'react';
import { Button } from '../../components/Button';
import { useSessionsStore } from './store';
import { TagSuggestions } from './TagSuggestions';
import { parseTag } from './TagDialog';

export function TagFilter() {
  const tags = useSessionsStore((s) => s.tagFilter);
  const suggestions = useSessionsStore((s) => s.tagSuggestions);
  const setTagFilter = useSessionsStore((s) => s.setTagFilter);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const listId = useId();
  const errorId = useId();

  const add = (text: string) => {
    if (!text.trim()) return;
    const parsed = parseTag(text);
    if ('error' in parsed) return setError(parsed.error);
    setError(null);
    setDraft('');
    if (!tags.includes(parsed.tag)) setTagFilter([...tags, parsed.tag]);
  };

  return (
    <div className="tag-filter" role="group" aria-label="Filter by tags" data-testid="tag-filter">
      <input
        className="input input-sm"
        list={listId}
        value={draft}
        placeholder={suggestions.length > 0 ? 'Filter by tag…' : 'No tags yet'}
        aria-label="Filter by tag"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        autoComplete="off"
        onChange={(e) => {
          const value = e.target.value;
          setError(null);
          // Picking a suggestion from the list fills the whole value at once: apply it.
          if (suggestions.some((s) => s.tag === value) && value.length - draft.length > 1) add(value);
          else setDraft(value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add(draft);
          } else if (e.key === 'Backspace' && draft === '' && tags.length > 0) {
            setTagFilter(tags.slice(0, -1));
          }
        }}
        data-testid="tag-filter-input"
      />
      <TagSuggestions id={listId} chosen={tags} />
      {tags.map((t) => (
        <span key={t} className="tag-chip tag-chip-removable" data-testid="tag-filter-chip">
          <span>#{t}</span>
          <button type="button" className="tag-chip-remove" aria-label={`Stop filtering by ${t}`} title={`Stop filtering by ${t}`} onClick={() => setTagFilter(tags.filter((x) => x !== t))}>
            ×
          </button>
        </span>
      ))}
      {tags.length > 0 ? (
        <Button size="sm" variant="ghost" onClick={() => setTagFilter([])} data-testid="tag-filter-clear">
          Clear
        </Button>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error tag-filter-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
