// Where a session sits among its branches: "Forked from …" in a fork (an edited resend or a
// fork from an entry), and "Branches: …" in the session it was forked from. Each is a link
// that opens that session.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SessionWithConfig } from '../../../shared/domain';
import { api } from '../../lib/api';
import { useSessionsStore } from '../sessions/store';

export function BranchLinks({ session }: { session: SessionWithConfig }) {
  const parentId = session.parentSessionId;
  const listedParent = useSessionsStore((s) => (parentId ? (s.items.find((x) => x.id === parentId)?.name ?? null) : null));
  const [parentName, setParentName] = useState<string | null>(null);
  const children = useSessionsStore(useShallow((s) => s.items.filter((x) => x.parentSessionId === session.id)));
  useEffect(() => {
    setParentName(null);
    if (!parentId || listedParent) return;
    let live = true;
    api()
      .sessions.get({ id: parentId })
      .then((p) => live && setParentName(p.name))
      .catch(() => live && setParentName('an earlier session'));
    return () => {
      live = false;
    };
  }, [parentId, listedParent]);
  const open = (id: string) => useSessionsStore.getState().select(id);
  if (!parentId && children.length === 0) return null;
  return (
    <p className="branch-links" data-testid="branch-links">
      {parentId ? (
        <span>
          Forked from{' '}
          <button type="button" className="link-button" onClick={() => open(parentId)} data-testid="forked-from">
            {listedParent ?? parentName ?? '…'}
          </button>
        </span>
      ) : null}
      {children.length > 0 ? (
        <span>
          Branches:{' '}
          {children.map((c, i) => (
            <span key={c.id}>
              {i > 0 ? ', ' : null}
              <button type="button" className="link-button" onClick={() => open(c.id)} data-testid="branch-link">
                {c.name}
              </button>
            </span>
          ))}
        </span>
      ) : null}
    </p>
  );
}
