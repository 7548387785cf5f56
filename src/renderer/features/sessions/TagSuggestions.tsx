// The tags already in use, offered while typing a tag (editor and filter), each with how many
// sessions carry it; tags already chosen are left out.
import { useSessionsStore } from './store';

export function TagSuggestions({ id, chosen }: { id: string; chosen: readonly string[] }) {
  const suggestions = useSessionsStore((s) => s.tagSuggestions);
  return (
    <datalist id={id}>
      {suggestions
        .filter((s) => !chosen.includes(s.tag))
        .map((s) => (
          <option key={s.tag} value={s.tag}>
            {`${s.count} ${s.count === 1 ? 'session' : 'sessions'}`}
          </option>
        ))}
    </datalist>
  );
}
