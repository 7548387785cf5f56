// Inline approval card inside a tool-call node of the log tree: full arguments, a plain summary,
// and Approve (once / this session / this agent) or Deny with an optional reason.
import { useState } from 'react';
import type { LogNode } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { useSessionViewStore } from '../session-view/store';
import { suggestPattern, summarizeCall } from './approval';
import type { RuleScope } from '../../../shared/ipc/channels/rules';
import { isAwaitingApproval, useRuntimeStore } from './store';
import { selectBusy } from './selectors';

const DENIED_BY: Record<string, string> = {
  timeout: ' (no approval in time)',
  policy: ' (read-only mode)',
  rule: ' (by a rule)',
  unattended: ' (unattended run: no one to ask)',
};

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
  // A retried call: the failed attempt and the new one say so, instead of the restart notes.
  const retry = typeof node.metadata.retryOf === 'string';
  if (isAwaitingApproval(node, sessionStatus, continued)) {
    return (
      <>
        {reissues && !retry ? <ReissueNote /> : null}
        <ApprovalCard node={node} />
      </>
    );
  }
  if (retry) {
    return (
      <p className="run-note" data-testid="retry-note">
        <Icon name="restore" size={12} /> Retry of the failed call above.
      </p>
    );
  }
  if (continued && node.status === 'error') {
    return (
      <p className="run-note" data-testid="retried-note">
        <Icon name="info" size={12} /> This call failed and was retried below; it stays here and is not sent to the model again.
      </p>
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
        <Icon name="ban" size={12} /> Denied{DENIED_BY[String(node.metadata.deniedBy)] ?? ''}: {reason}
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
  const [ruleScope, setRuleScope] = useState<RuleScope | null>(null);
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
      {ruleScope ? (
        <AlwaysAllowForm node={node} scope={ruleScope} busy={busy === 'approve'} onBack={() => setRuleScope(null)} onConfirm={(scope, pattern) => void approve(node.id, 'once', { scope, pattern })} />
      ) : denying ? (
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
          <Button size="sm" disabled={Boolean(busy)} onClick={() => setRuleScope('session')} data-testid="approve-session" title={`Approve, and allow such ${node.toolName} calls for the rest of this session (you choose the pattern)`}>
            Always in this session…
          </Button>
          <Button size="sm" disabled={Boolean(busy)} onClick={() => setRuleScope('agent')} data-testid="approve-agent" title={`Approve, and allow such ${node.toolName} calls in every session of this agent (you choose the pattern)`}>
            Always for this agent…
          </Button>
          <Button size="sm" variant="danger-ghost" icon="ban" disabled={Boolean(busy)} onClick={() => setDenying(true)} data-testid="deny">
            Deny…
          </Button>
        </div>
      )}
    </section>
  );
}

/** "Always…": the rule the approval will save, shown and editable before it is saved. */
function AlwaysAllowForm({ node, scope: initial, busy, onBack, onConfirm }: { node: LogNode; scope: RuleScope; busy: boolean; onBack: () => void; onConfirm: (scope: RuleScope, pattern: string | null) => void }) {
  const suggested = suggestPattern(node.toolName, node.toolArgs);
  const [scope, setScope] = useState<RuleScope>(initial);
  const [pattern, setPattern] = useState(suggested ?? '');
  const hasSubject = suggested !== null || node.toolName === 'run_shell';
  return (
    <form
      className="approval-rule"
      data-testid="always-form"
      onSubmit={(e) => {
        e.preventDefault();
        onConfirm(scope, pattern.trim() || null);
      }}
    >
      <p className="approval-note">
        Approves this call and saves an allow rule you can change later in the agent editor (Rules tab). Deny rules still win.
      </p>
      <div className="approval-rule-fields">
        <label className="field-label" htmlFor={`rule-scope-${node.id}`}>
          Where
        </label>
        <select id={`rule-scope-${node.id}`} className="input" value={scope} onChange={(e) => setScope(e.target.value as RuleScope)} data-testid="always-scope">
          <option value="session">This session</option>
          <option value="agent">Every session of this agent</option>
          <option value="global">Every agent</option>
        </select>
        {hasSubject ? (
          <>
            <label className="field-label" htmlFor={`rule-pattern-${node.id}`}>
              {node.toolName === 'run_shell' ? 'Commands matching (* = anything)' : 'Paths matching (** = any folders)'}
            </label>
            <input id={`rule-pattern-${node.id}`} className="input mono" value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder="empty = every call" data-testid="always-pattern" autoFocus />
          </>
        ) : null}
      </div>
      <div className="approval-buttons">
        <Button type="submit" variant="primary" size="sm" icon="check" busy={busy} data-testid="always-confirm">
          Approve and allow {node.toolName}
          {pattern.trim() ? ` ${pattern.trim()}` : ''}
        </Button>
        <Button size="sm" variant="ghost" onClick={onBack}>
          Back
        </Button>
      </div>
    </form>
  );
}
