// The marks a session shows on its row and in its header: a pin, where it was imported from,
// and its tags. Each carries its meaning in text (visible or aria-label), not only in colour.
import type { Session, SessionSourceFormat } from '../../../shared/domain';
import { Icon } from '../../components/Icon';

export const SOURCE_LABELS: Record<SessionSourceFormat, string> = {
  paddock: 'Paddock',
  'claude-code': 'Claude Code',
  codex: 'Codex',
  'ag-ui': 'AG-UI',
  otlp: 'OTLP',
};

/** "Imported from Claude Code" marker; nothing for a session run here. */
export function SourceBadge({ source }: { source: Session['source'] }) {
  if (!source) return null;
  const label = SOURCE_LABELS[source];
  return (
    <span className="source-badge" role="img" title={`Imported from ${label}`} aria-label={`Imported from ${label}`} data-testid="session-source" data-source={source}>
      <Icon name="upload" size={11} />
      <span aria-hidden="true">{label}</span>
    </span>
  );
}

export function PinMark({ pinnedAt }: { pinnedAt: Session['pinnedAt'] }) {
  if (!pinnedAt) return null;
  return (
    <span className="pin-mark" role="img" aria-label="Pinned" title="Pinned" data-testid="session-pinned">
      <Icon name="pin" size={12} />
    </span>
  );
}

/** The tags as small chips (read-only; the tag dialog edits them). */
export function TagChips({ tags, max }: { tags: Session['tags']; max?: number }) {
  if (!tags || tags.length === 0) return null;
  const shown = max === undefined ? tags : tags.slice(0, max);
  const more = tags.length - shown.length;
  return (
    <span className="tag-chips" aria-label={`Tags: ${tags.join(', ')}`} role="group" data-testid="session-tags">
      {shown.map((t) => (
        <span key={t} className="tag-chip" aria-hidden="true">
          #{t}
        </span>
      ))}
      {more > 0 ? (
        <span className="tag-chip tag-chip-more" aria-hidden="true" title={tags.slice(shown.length).join(', ')}>
          +{more}
        </span>
      ) : null}
    </span>
  );
}
