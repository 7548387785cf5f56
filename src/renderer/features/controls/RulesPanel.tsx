// Approval rules of one agent (and the global ones), editable, with a "would this call be
// allowed?" tester that asks main the same question a run asks.
import { useState } from 'react';
import { RULE_DECISIONS, type RuleDecisionName, type RuleScope, type RuleTestResult, type ToolRule } from '../../../shared/ipc/channels/rules';
import { Button } from '../../components/Button';
import { useControlsStore } from './store';

const SOURCE: Record<ToolRule['source'], string> = { user: 'added here', approval: 'from an approval', import: 'imported — off until you turn it on', migrated: 'from an earlier "always allow"' };

/** Where the rule came from; an imported rule that was turned on no longer waits for the user. */
const sourceOf = (r: ToolRule) => (r.source === 'import' && r.enabled ? 'imported' : SOURCE[r.source]);

type RuleDraft = { scope: RuleScope; toolName: string; pattern: string; decision: RuleDecisionName };

export function RulesPanel({ agentId, tools }: { agentId: string; tools: string[] }) {
  const rules = useControlsStore((s) => s.rules[agentId]);
  const [draft, setDraft] = useState<RuleDraft>({ scope: 'agent', toolName: 'run_shell', pattern: '', decision: 'allow' });
  if (!rules) return <p className="muted">Loading rules…</p>;
  return (
    <section className="controls-section" aria-labelledby={`rules-${agentId}`} data-testid="rules-panel">
      <h3 id={`rules-${agentId}`}>Approval rules</h3>
      <p className="muted">
        Deny beats ask beats allow. Shell patterns: <code>npm test*</code>; path patterns: <code>src/**</code> (relative to the working folder). Allow rules never reach chained commands or paths outside the accessible folders.
      </p>
      {rules.length === 0 ? <p className="muted" data-testid="rules-empty">No rules yet: the permission mode decides.</p> : <RulesTable agentId={agentId} rules={rules} />}
      <NewRuleForm agentId={agentId} tools={tools} draft={draft} setDraft={setDraft} />
      <RuleTester agentId={agentId} />
    </section>
  );
}

function RulesTable({ agentId, rules }: { agentId: string; rules: ToolRule[] }) {
  const { saveRule, removeRule } = useControlsStore.getState();
  return (
    <table className="controls-table" data-testid="rules-table">
      <thead>
        <tr>
          <th scope="col">On</th>
          <th scope="col">Decision</th>
          <th scope="col">Tool</th>
          <th scope="col">Pattern</th>
          <th scope="col">Applies to</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => (
          <tr key={r.id} data-testid="rule-row" className={r.enabled ? '' : 'rule-off'}>
            <td>
              <input type="checkbox" checked={r.enabled} aria-label={`Rule ${r.decision} ${r.toolName} ${r.pattern ?? ''} enabled`} onChange={(e) => void saveRule(agentId, { ...r, targetId: r.targetId, enabled: e.target.checked })} />
            </td>
            <td>
              <select className="input input-sm" value={r.decision} aria-label="Decision" onChange={(e) => void saveRule(agentId, { ...r, decision: e.target.value as RuleDecisionName })}>
                {RULE_DECISIONS.map((d) => (
                  <option key={d}>{d}</option>
                ))}
              </select>
            </td>
            <td className="mono">{r.toolName}</td>
            <td className="mono" data-testid="rule-pattern">{r.pattern ?? 'any call'}</td>
            <td title={sourceOf(r)}>
              {r.scope === 'global' ? 'all agents' : r.scope === 'agent' ? 'this agent' : 'one session'} <span className="fact-sub">({sourceOf(r)})</span>
            </td>
            <td>
              <Button size="sm" variant="danger-ghost" icon="trash" label={`Remove rule ${r.toolName} ${r.pattern ?? ''}`} onClick={() => void removeRule(agentId, r.id)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NewRuleForm({ agentId, tools, draft, setDraft }: { agentId: string; tools: string[]; draft: RuleDraft; setDraft: (draft: RuleDraft) => void }) {
  const { saveRule } = useControlsStore.getState();
  return (
    <form
      className="controls-row"
      onSubmit={(e) => {
        e.preventDefault();
        void saveRule(agentId, { scope: draft.scope, toolName: draft.toolName.trim(), pattern: draft.pattern.trim() || null, decision: draft.decision }).then((ok) => ok && setDraft({ ...draft, pattern: '' }));
      }}
    >
      <label className="visually-hidden" htmlFor={`new-rule-decision-${agentId}`}>Decision</label>
      <select id={`new-rule-decision-${agentId}`} className="input input-sm" value={draft.decision} onChange={(e) => setDraft({ ...draft, decision: e.target.value as RuleDecisionName })}>
        {RULE_DECISIONS.map((d) => (
          <option key={d}>{d}</option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor={`new-rule-tool-${agentId}`}>Tool</label>
      <input id={`new-rule-tool-${agentId}`} className="input input-sm mono" list={`rule-tools-${agentId}`} value={draft.toolName} onChange={(e) => setDraft({ ...draft, toolName: e.target.value })} />
      <datalist id={`rule-tools-${agentId}`}>
        {tools.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <label className="visually-hidden" htmlFor={`new-rule-pattern-${agentId}`}>Pattern</label>
      <input id={`new-rule-pattern-${agentId}`} className="input input-sm mono rule-pattern-input" placeholder="pattern (empty = any call)" value={draft.pattern} onChange={(e) => setDraft({ ...draft, pattern: e.target.value })} data-testid="new-rule-pattern" />
      <label className="visually-hidden" htmlFor={`new-rule-scope-${agentId}`}>Applies to</label>
      <select id={`new-rule-scope-${agentId}`} className="input input-sm" value={draft.scope} onChange={(e) => setDraft({ ...draft, scope: e.target.value as RuleScope })}>
        <option value="agent">this agent</option>
        <option value="global">all agents</option>
      </select>
      <Button type="submit" size="sm" icon="plus" data-testid="add-rule">
        Add rule
      </Button>
    </form>
  );
}

function RuleTester({ agentId }: { agentId: string }) {
  const [toolName, setToolName] = useState('run_shell');
  const [subject, setSubject] = useState('');
  const [result, setResult] = useState<RuleTestResult | null>(null);
  const argKey = toolName === 'run_shell' ? 'command' : 'path';
  return (
    <form
      className="controls-row rule-tester"
      aria-label="Would this call be allowed?"
      onSubmit={(e) => {
        e.preventDefault();
        void useControlsStore.getState().testRule(agentId, toolName, subject ? { [argKey]: subject } : {}).then(setResult);
      }}
    >
      <strong>Would this call be allowed?</strong>
      <label className="visually-hidden" htmlFor={`test-tool-${agentId}`}>Tool</label>
      <input id={`test-tool-${agentId}`} className="input input-sm mono" list={`rule-tools-${agentId}`} value={toolName} onChange={(e) => setToolName(e.target.value)} />
      <label className="visually-hidden" htmlFor={`test-subject-${agentId}`}>{argKey}</label>
      <input id={`test-subject-${agentId}`} className="input input-sm mono" placeholder={toolName === 'run_shell' ? 'a command, e.g. npm test' : 'a path, e.g. src/a.ts'} value={subject} onChange={(e) => setSubject(e.target.value)} data-testid="rule-test-input" />
      <Button type="submit" size="sm" data-testid="rule-test">
        Check
      </Button>
      {result ? (
        <p className={`rule-verdict verdict-${result.decision}`} role="status" data-testid="rule-verdict">
          <strong>{result.decision === 'allow' ? 'Runs' : result.decision === 'ask' ? 'Asks you' : 'Refused'}</strong> — {result.reason}
        </p>
      ) : null}
    </form>
  );
}
