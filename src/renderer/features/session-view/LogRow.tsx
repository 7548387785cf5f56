// One row of the session log tree. Subscribes to its own node, so a streamed delta re-renders
// only the row whose text grows. Rendering differs per kind; every status is icon + text.
import { memo, type CSSProperties, type MouseEvent } from 'react';
import type { LogNode } from '../../../shared/domain';
import { Icon } from '../../components/Icon';
import { LogStatusBadge } from '../../components/StatusBadge';
import { slots } from '../../app/slots';
import { formatCost, formatDuration, formatTokens } from '../../lib/format';
import { useSessionViewStore } from './store';
import { useTraceStore } from './traceStore';
import { replayTracks, useReplayStore } from '../replay/store';
import { nodeAt } from '../replay/tracks';
import { selectDetailsOpen, selectNode, selectRollup } from './selectors';
import { NodeBody } from './NodeBody';
import { CopyButton } from './CopyButton';
import { approvalText, isPendingSteer, KIND_INFO, nodeMetrics, type Metrics } from './nodePresentation';
import type { Totals } from './tree/rollups';
import type { VisibleRow } from './tree/visibleRows';

const INDENT = 18;
const MAX_INDENT_LEVELS = 24;

export interface LogRowProps {
  row: VisibleRow;
  index: number;
  start: number;
  active: boolean;
  tabbable: boolean;
  isMatch: boolean;
  measureRef: (element: HTMLElement | null) => void;
  onActivate: (id: string) => void;
  onToggle: (id: string) => void;
}

export const LogRow = memo(function LogRow({ row, index, start, active, tabbable, isMatch, measureRef, onActivate, onToggle }: LogRowProps) {
  const stored = useSessionViewStore(selectNode(row.id));
  // During a replay the row shows its node as it was at the replay's cursor.
  const replayAt = useReplayStore((s) => (s.status === 'ready' ? s.cursorMs : null));
  const node = stored && replayAt !== null ? (nodeAt(stored, replayTracks()?.byId.get(stored.id), replayAt) ?? stored) : stored;
  const rollup = useSessionViewStore(selectRollup(row.id));
  const detailsOpen = useSessionViewStore(selectDetailsOpen(row.id));
  const compact = useTraceStore((s) => s.density === 'compact');
  const causeDurationMs = useSessionViewStore((s) => (stored?.kind === 'observation' && stored.causeId ? (s.index.nodes.get(stored.causeId)?.durationMs ?? null) : null));
  const style: CSSProperties = { transform: `translateY(${start}px)` };

  if (!node) return null;
  if (row.answer) return <AnswerRow row={row} node={node} index={index} style={style} compact={compact} detailsOpen={detailsOpen} measureRef={measureRef} onActivate={onActivate} />;
  const classes = ['log-row', compact ? 'is-compact' : '', `kind-${node.kind}`, `status-${node.status}`, active ? 'is-active' : '', isMatch ? 'is-match' : ''].filter(Boolean).join(' ');

  // Only the wrapper depends on the position: when a row above is measured, the rows below
  // move, and that must not re-render their content (markdown, JSON).
  return (
    <div
      ref={measureRef}
      role="treeitem"
      aria-level={row.level}
      aria-setsize={row.setSize}
      aria-posinset={row.posInSet}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={active}
      aria-labelledby={`log-head-${row.id}`}
      tabIndex={tabbable ? 0 : -1}
      className={classes}
      style={style}
      data-index={index}
      data-node-id={node.id}
      data-kind={node.kind}
      data-status={node.status}
      data-testid="log-row"
      onClick={(event: MouseEvent) => {
        // Selecting text inside a message must not count as a click on the row.
        if (window.getSelection()?.toString()) return;
        if ((event.target as HTMLElement).closest('button, a')) return;
        onActivate(node.id);
      }}
    >
      <RowContent row={row} node={node} rollup={rollup} causeDurationMs={causeDurationMs} detailsOpen={detailsOpen} compact={compact} onActivate={onActivate} onToggle={onToggle} />
    </div>
  );
});

interface RowContentProps {
  row: VisibleRow;
  node: LogNode;
  rollup: Totals | undefined;
  /** A tool result's call's execution time (see nodeMetrics). */
  causeDurationMs: number | null;
  detailsOpen: boolean;
  /** One line per node; the body only when opened. */
  compact: boolean;
  onActivate: (id: string) => void;
  onToggle: (id: string) => void;
}

const RowContent = memo(function RowContent({ row, node, rollup, causeDurationMs, detailsOpen, compact, onActivate, onToggle }: RowContentProps) {
  const indentLevels = Math.min(row.level - 1, MAX_INDENT_LEVELS);
  const headId = `log-head-${row.id}`;
  const info = KIND_INFO[node.kind] ?? KIND_INFO.system;
  const metrics = nodeMetrics(node, rollup, causeDurationMs);
  return (
    <div className="log-row-inner">
      {indentLevels > 0 ? <span className="log-guides" style={{ width: indentLevels * INDENT }} aria-hidden="true" /> : null}
      <span
        className={`log-caret${row.hasChildren ? '' : ' is-leaf'}`}
        aria-hidden="true"
        onClick={(event) => {
          if (!row.hasChildren) return;
          event.stopPropagation();
          onActivate(node.id);
          onToggle(node.id);
        }}
      >
        {row.hasChildren ? <Icon name={row.expanded ? 'chevronDown' : 'chevronRight'} size={14} /> : null}
      </span>
      <div className="log-card">
        <div className="log-head">
          <span id={headId} className="log-head-label">
            <span className="log-kind-icon">
              <Icon name={info.icon} size={14} />
            </span>
            <span className="log-kind-label">{info.label}</span>
            {node.kind === 'action' || node.kind === 'observation' ? (node.toolName ? <code className="log-tool-name">{node.toolName}</code> : null) : null}
            {node.model && !compact && (node.kind === 'assistant_message' || node.kind === 'thought') ? <span className="log-model">{node.model}</span> : null}
            {compact && !node.toolName && !row.bodyBelow ? <span className="log-first-line">{firstLine(node.content)}</span> : null}
            {node.status !== 'complete' && !isPendingSteer(node) ? <LogStatusBadge status={node.status} /> : null}
            {node.kind === 'action' && approvalText(node) ? <span className="log-approved-by">{approvalText(node)}</span> : null}
            {row.level > MAX_INDENT_LEVELS + 1 ? <span className="log-depth">depth {row.level - 1}</span> : null}
            {row.hasChildren && !row.expanded ? <span className="log-hidden-count">{(rollup?.count ?? node.childCount + 1) - 1} hidden</span> : null}
          </span>
          <MetricsView metrics={metrics} />
          {COPYABLE.has(node.kind) && node.content && node.status !== 'streaming' ? <CopyButton text={node.content} label={`Copy ${info.label.toLowerCase()}`} /> : null}
          {compact ? (
            <button type="button" className="inline-toggle" tabIndex={-1} aria-expanded={detailsOpen} onClick={() => useSessionViewStore.getState().toggleDetails(node.id)}>
              {detailsOpen ? 'Fold' : 'Open'}
            </button>
          ) : null}
        </div>
        {(!compact || detailsOpen) && !row.bodyBelow ? <NodeBody node={node} detailsOpen={detailsOpen} /> : null}
        {slots.nodeActions ? <slots.nodeActions node={node} /> : null}
      </div>
    </div>
  );
});

interface AnswerRowProps {
  row: VisibleRow;
  node: LogNode;
  index: number;
  style: CSSProperties;
  compact: boolean;
  detailsOpen: boolean;
  measureRef: (element: HTMLElement | null) => void;
  onActivate: (id: string) => void;
}

/**
 * A step's answer text, drawn after the thinking that preceded it (tree/answerRows.ts). Part of
 * its step: selecting it selects the step, and the keyboard moves from the thinking above to the
 * tool calls below (the step's own row has the copy button and the figures).
 */
function AnswerRow({ row, node, index, style, compact, detailsOpen, measureRef, onActivate }: AnswerRowProps) {
  const indentLevels = Math.min(row.level - 1, MAX_INDENT_LEVELS);
  return (
    <div
      ref={measureRef}
      role="treeitem"
      aria-level={row.level}
      aria-selected={false}
      aria-label={`Answer: ${firstLine(node.content) || 'writing'}`}
      tabIndex={-1}
      className={`log-row log-answer-row kind-assistant_message status-${node.status}${compact ? ' is-compact' : ''}`}
      style={style}
      data-index={index}
      data-answer-of={node.id}
      data-testid="log-answer"
      onClick={(event: MouseEvent) => {
        if (window.getSelection()?.toString()) return;
        if ((event.target as HTMLElement).closest('button, a')) return;
        onActivate(node.id);
      }}
    >
      <div className="log-row-inner">
        {indentLevels > 0 ? <span className="log-guides" style={{ width: indentLevels * INDENT }} aria-hidden="true" /> : null}
        <span className="log-caret is-leaf" aria-hidden="true" />
        <div className="log-card log-answer">
          {compact && !detailsOpen ? <span className="log-first-line">{firstLine(node.content)}</span> : <NodeBody node={node} detailsOpen={detailsOpen} />}
        </div>
      </div>
    </div>
  );
}

/** Kinds whose text has a copy button in the row's head (tool calls have theirs per block). */
const COPYABLE = new Set(['user_message', 'assistant_message', 'thought', 'error', 'system']);

function firstLine(text: string): string {
  const t = text.trimStart();
  const end = t.indexOf('\n');
  const line = end >= 0 ? t.slice(0, end) : t;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function MetricsView({ metrics }: { metrics: Metrics }) {
  const parts: string[] = [];
  if (metrics.tokens > 0) parts.push(`${formatTokens(metrics.tokens)} tok`);
  if (metrics.costUsd > 0) parts.push(formatCost(metrics.costUsd));
  const duration = formatDuration(metrics.durationMs);
  if (duration) parts.push(duration);
  if (parts.length === 0) return null;
  const own = metrics.own;
  const title = metrics.rolledUp
    ? `Total for this entry and everything under it. This entry alone: ${formatTokens(own.tokens)} tokens, ${formatCost(own.costUsd)}${own.durationMs !== null ? `, ${formatDuration(own.durationMs)}` : ''}`
    : undefined;
  return (
    <span className={`log-metrics${metrics.rolledUp ? ' is-rollup' : ''}`} title={title} data-testid="node-metrics">
      {metrics.rolledUp ? <span className="visually-hidden">Totals: </span> : null}
      {metrics.rolledUp ? <span aria-hidden="true">Σ </span> : null}
      {parts.join(' · ')}
    </span>
  );
}

