// Inline approval card inside a tool-call node of the log tree: full arguments, a plain summary,
// and Approve (once / this session / this agent) or Deny with an optional reason.
import { useState } from 'react';
import type { LogNode } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { useSessionViewStore } from '../session-view/store';
import { summarizeCall } from './approval';
import { isAwaitingApproval, useRuntimeStore } from './store';
import { selectBusy } from './selectors';

export function ApprovalActions({ node }: { node: LogNode }) {
  const sessionStatus = useSessionViewStore((s) => s.session?.status ?? null);
  // A continuation (after a restart the answered call is re-issued as a new node) ends this one.
  const continued = useSessionViewStore((s) => {
    if (node.kind !== 'action') return false;
    const siblings = s.index.children.get(node.parentId) ?? [];
    return siblings.some((id) => s.index.nodes.get(id)?.causeId === node.id);
  });
  // The call this one re-issues (after a restart during its approval), if any.
  const reissues = useSessionViewStore((s) => (node.causeId && s.index.nodes.get(node.causeId)?.kind === 'action' ? node.causeId : null));
  if (node.kind !== 'action') return null;
  if (isAwaitingApproval(node, sessionStatus, continued)) {
    return (
      <>
        {reissues ? <ReissueNote /> : null}
        <ApprovalCard node={node} />
      </>
    );
  }
  // A restart during an approval shows the call twice: say why, on both.
  if (continued) {
    return (
      <p className="run-note" data-testid="superseded-note">
        <Icon name="info" size={12} /> Paddock stopped while this call waited for approval. It did not run; the same call was asked again
        below.
      </p>
    );
  }
  if (reissues && node.status !== 'denied') return <ReissueNote />;
  const reason = node.metadata.denyReason;
  if (node.status === 'denied' && typeof reason === 'string' && reason) {
    return (
      <p className="run-note" data-testid="deny-reason">
        <Icon name="ban" size={12} /> Denied{node.metadata.deniedBy === 'timeout' ? ' (no approval in time)' : node.metadata.deniedBy === 'policy' ? ' (read-only mode)' : ''}: {reason}
      </p>
    );
  }
  return null;
}

function ReissueNote() {
  return (
    <p className="run-note" data-testid="reissued-note">
      <Icon name="restore" size={12} /> Asked again after Paddock restarted: the earlier request above never ran.
    </p>
  );
}

function ApprovalCard({ node }: { node: LogNode }) {
  const busy = useRuntimeStore(selectBusy(node.id));
  const { approve, deny } = useRuntimeStore.getState();
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState('');
  const summary = summarizeCall(node.toolName, node.toolArgs);
  const args = node.toolArgs === null ? node.content : JSON.stringify(node.toolArgs, null, 2);
  return (
    <section className={`approval-card risk-${summary.risk}`} aria-label={`Approval needed for ${node.toolName ?? 'tool call'}`} data-testid="approval-card">
      <header className="approval-head">
        <Icon name="hand" size={16} />
        <strong>Approval needed:</strong> <span>{summary.action}</span>
        {summary.target ? <code className="approval-target">{summary.target}</code> : null}
      </header>
      <p className="approval-note">{summary.note}</p>
      <details className="approval-args" open>
        <summary>Full arguments</summary>
        <pre data-testid="approval-args">{args}</pre>
      </details>
      {denying ? (
        <form
          className="approval-deny"
          onSubmit={(e) => {
            e.preventDefault();
            void deny(node.id, reason.trim() || undefined);
          }}
        >
          <label className="field-label" htmlFor={`deny-${node.id}`}>
            Reason (told to the agent, optional)
          </label>
          <input id={`deny-${node.id}`} className="input" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus data-testid="deny-reason-input" />
          <div className="approval-buttons">
            <Button type="submit" variant="danger" size="sm" icon="ban" busy={busy === 'deny'} data-testid="deny-confirm">
              Deny
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setDenying(false)}>
              Back
            </Button>
          </div>
        </form>
      ) : (
        <div className="approval-buttons" role="group" aria-label="Answer">
          <Button variant="primary" size="sm" icon="check" busy={busy === 'approve'} disabled={Boolean(busy)} onClick={() => void approve(node.id, 'once')} data-testid="approve-once">
            Approve
          </Button>
          <Button size="sm" disabled={Boolean(busy)} onClick={() => void approve(node.id, 'session')} data-testid="approve-session" title={`Also allow ${node.toolName} for the rest of this session`}>
            Always in this session
          </Button>
          <Button size="sm" disabled={Boolean(busy)} onClick={() => void approve(node.id, 'agent')} data-testid="approve-agent" title={`Also allow ${node.toolName} in every session of this agent`}>
            Always for this agent
          </Button>
          <Button size="sm" variant="danger-ghost" icon="ban" disabled={Boolean(busy)} onClick={() => setDenying(true)} data-testid="deny">
            Deny…
          </Button>
        </div>
      )}
    </section>
  );
}
