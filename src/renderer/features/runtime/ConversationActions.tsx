// Conversation control on a log entry: fork the session from here (a new child session with the
// log up to this entry), and on a message you sent, edit and resend it — a new branch session
// with everything before the message, started with the edited text. The original stays as it
// was, reachable from the branch's "Forked from" link.
import { useState } from 'react';
import type { LogNode } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { api } from '../../lib/api';
import { runAction } from '../../state/runAction';
import { toast } from '../../state/ui';
import { useFocusRequests } from '../../state/focusRequests';
import { useSessionsStore } from '../sessions/store';
import { useSessionViewStore } from '../session-view/store';
import { isActive } from './store';

async function openBranch(session: { id: string; agentId: string }) {
  await useSessionsStore.getState().refreshOne(session.id);
  useSessionsStore.getState().select(session.id);
}

export function ConversationActions({ node }: { node: LogNode }) {
  const status = useSessionViewStore((s) => s.session?.status ?? null);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(node.content);
  const [busy, setBusy] = useState(false);
  const forkable = node.kind === 'user_message' || node.kind === 'assistant_message';
  if (!forkable || !status || isActive(status) || node.status === 'streaming') return null;

  const fork = () =>
    void runAction('Could not fork the session', async () => {
      const branch = await api().sessions.fork({ sessionId: node.sessionId, nodeId: node.id, mode: 'through' });
      toast(`Forked into “${branch.name}”`, { tone: 'success' });
      useFocusRequests.getState().focusComposer(branch.id);
      await openBranch(branch);
    });
  const resend = async () => {
    const message = text.trim();
    if (!message || busy) return;
    setBusy(true);
    await runAction('Could not resend the message', async () => {
      const branch = await api().sessions.fork({ sessionId: node.sessionId, nodeId: node.id, mode: 'before', name: `${message.split('\n')[0]!.slice(0, 60)} (edited)` });
      await api().sessions.start({ sessionId: branch.id, message });
      toast('Sent as a new branch; the original conversation is kept', { tone: 'success' });
      await openBranch(branch);
    });
    setBusy(false);
    setEditing(false);
  };

  if (editing) {
    return (
      <form
        className="edit-resend"
        onSubmit={(e) => {
          e.preventDefault();
          void resend();
        }}
        data-testid="edit-resend-form"
      >
        <label className="visually-hidden" htmlFor={`edit-${node.id}`}>
          Edited message
        </label>
        <textarea id={`edit-${node.id}`} className="textarea" rows={3} value={text} autoFocus onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setEditing(false))} data-testid="edit-resend-input" />
        <div className="approval-buttons">
          <Button type="submit" size="sm" variant="primary" busy={busy} disabled={!text.trim()} data-testid="edit-resend-send">
            Send as a new branch
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </div>
      </form>
    );
  }
  return (
    <div className="conversation-actions" role="group" aria-label="Conversation">
      {node.kind === 'user_message' ? (
        <Button size="sm" variant="ghost" icon="edit" onClick={() => setEditing(true)} data-testid="edit-resend">
          Edit &amp; resend
        </Button>
      ) : null}
      <Button size="sm" variant="ghost" icon="copy" onClick={fork} data-testid="fork-here">
        Fork from here
      </Button>
    </div>
  );
}
