// Two runs aligned step by step: what each did, what differs (text, arguments, results, marked
// as inserted / deleted), and the difference in tokens, cost and duration per step and in total,
// with the two pinned agent configs diffed on top.
import { useEffect, useMemo, useState } from 'react';
import { diffJson, type ChangeObject } from 'diff';
import { Dialog } from '../../components/Dialog';
import { formatCost, formatDateTime, formatDuration, formatTokens } from '../../lib/format';
import { KIND_INFO } from '../session-view/nodePresentation';
import { nodeLabel } from '../timeline/bars';
import type { Step, StepFigures } from './align';
import { useCompareStore } from './store';

/** Steps drawn at once; more on demand (a long run has thousands). */
const PAGE = 200;

export function CompareDialog({ sessionId, onClose }: { sessionId: string; onClose: () => void }) {
  const { a, b, candidates, result, status, error } = useCompareStore();
  const [shown, setShown] = useState(PAGE);
  const [onlyChanged, setOnlyChanged] = useState(false);
  useEffect(() => {
    void useCompareStore.getState().start(sessionId);
  }, [sessionId]);
  const configDiff = useMemo(() => (a && b ? diffJson(a.effectiveConfig, b.effectiveConfig) : null), [a, b]);
  const steps = useMemo(() => (result ? (onlyChanged ? result.steps.filter((s) => s.changed) : result.steps) : []), [result, onlyChanged]);

  return (
    <Dialog open title="Compare two runs" description={a ? `A: ${a.name}` : undefined} onRequestClose={onClose} size="lg" testId="compare-dialog">
      <div className="compare-pick">
        <label htmlFor="compare-other">B: compare with</label>
        <select id="compare-other" className="input" value={b?.id ?? ''} onChange={(e) => e.target.value && void useCompareStore.getState().pick(e.target.value)} data-testid="compare-select">
          <option value="">Choose a session…</option>
          {candidates.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} — v{s.agentVersion} · {formatDateTime(s.createdAt)}
            </option>
          ))}
        </select>
        <label className="compare-only">
          <input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} /> Only differing steps
        </label>
      </div>
      {status === 'loading' ? <p role="status">Loading both runs…</p> : null}
      {status === 'error' ? <p role="alert" className="notice notice-danger">{error}</p> : null}
      {result && a && b ? (
        <>
          <Totals a={result.totalA} b={result.totalB} steps={result.steps.length} changed={result.changedSteps} />
          <details className="compare-config" open={configDiff?.some((c) => c.added || c.removed)}>
            <summary>
              Agent config: {a.agentName} v{a.agentVersion} (A) vs {b.agentName} v{b.agentVersion} (B)
              {configDiff?.some((c) => c.added || c.removed) ? '' : ' — identical'}
            </summary>
            <Changes changes={configDiff ?? []} testId="compare-config-diff" />
          </details>
          <ol className="compare-steps" data-testid="compare-steps">
            {steps.slice(0, shown).map((step, i) => (
              <StepView key={`${step.a?.id ?? ''}-${step.b?.id ?? ''}`} step={step} n={i + 1} />
            ))}
          </ol>
          {steps.length > shown ? (
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setShown(shown + PAGE)}>
              Show {Math.min(PAGE, steps.length - shown)} more of {steps.length - shown}
            </button>
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}

function signed(n: number, format: (n: number) => string): string {
  if (n === 0) return '±0';
  return `${n > 0 ? '+' : '−'}${format(Math.abs(n))}`;
}

function Totals({ a, b, steps, changed }: { a: StepFigures; b: StepFigures; steps: number; changed: number }) {
  const rows: Array<[string, (x: StepFigures) => number, (n: number) => string]> = [
    ['Tokens', (x) => x.tokens, formatTokens],
    ['Cost', (x) => x.costUsd, formatCost],
    ['Duration', (x) => x.durationMs, (n) => formatDuration(n) || '0ms'],
  ];
  return (
    <table className="compare-totals" data-testid="compare-totals">
      <caption>
        {steps} steps, {changed} differ
      </caption>
      <thead>
        <tr>
          <th scope="col">Total</th>
          <th scope="col">A</th>
          <th scope="col">B</th>
          <th scope="col">B − A</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, pick, format]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{format(pick(a))}</td>
            <td>{format(pick(b))}</td>
            <td>{signed(pick(b) - pick(a), format)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StepView({ step, n }: { step: Step; n: number }) {
  const node = step.a ?? step.b!;
  const info = KIND_INFO[node.kind];
  const side = !step.a ? 'only in B' : !step.b ? 'only in A' : step.changed ? 'differs' : 'same';
  return (
    <li className={`compare-step${step.changed ? ' is-changed' : ''}`} data-testid="compare-step" data-side={side}>
      <div className="compare-step-head">
        <span className="compare-n">{n}</span>
        <span className="log-kind-label">{info.label}</span>
        <code>{nodeLabel(node)}</code>
        <span className={`compare-side side-${side.replaceAll(' ', '-')}`}>{side}</span>
        <span className="toolbar-spacer" />
        <span className="compare-delta">
          {signed(step.delta.tokens, formatTokens)} tok · {signed(step.delta.costUsd, formatCost)} · {signed(step.delta.durationMs, (x) => formatDuration(x) || '0ms')}
        </span>
      </div>
      {step.a && step.b ? (
        step.changed ? (
          <>
            {step.text && step.text.some((c) => c.added || c.removed) ? <Changes changes={step.text} label="Text" /> : null}
            {step.args && step.args.some((c) => c.added || c.removed) ? <Changes changes={step.args} label="Arguments" /> : null}
            {step.result && step.result.some((c) => c.added || c.removed) ? <Changes changes={step.result} label="Result" /> : null}
          </>
        ) : null
      ) : (
        <pre className="compare-only-text" tabIndex={0}>{(node.content || JSON.stringify(node.toolArgs ?? '')).slice(0, 600)}</pre>
      )}
    </li>
  );
}

function Changes({ changes, label, testId }: { changes: ChangeObject<string>[]; label?: string; testId?: string }) {
  return (
    <div className="compare-diff" data-testid={testId}>
      {label ? <div className="json-label">{label}</div> : null}
      <pre tabIndex={0}>
        {changes.map((c, i) =>
          c.added ? (
            <ins key={i}>{c.value}</ins>
          ) : c.removed ? (
            <del key={i}>{c.value}</del>
          ) : (
            <span key={i}>{c.value.length > 400 ? `${c.value.slice(0, 200)} … ${c.value.slice(-200)}` : c.value}</span>
          ),
        )}
      </pre>
    </div>
  );
}
