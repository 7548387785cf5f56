// One row of the session log tree. Subscribes to its own node, so a streamed delta re-renders
// only the row whose text grows. Rendering differs per kind; every status is icon + text.
import { memo, useMemo, type CSSProperties, type MouseEvent } from 'react';
import type { JsonValue, LogNode } from '../../../shared/domain';
import { Icon } from '../../components/Icon';
import { LogStatusBadge } from '../../components/StatusBadge';
import { slots } from '../../app/slots';
import { formatCost, formatDuration, formatJson, formatTokens, splitForDisplay } from '../../lib/format';
import { MARKDOWN_LIMIT } from '../../lib/markdown';
import { useSessionViewStore } from './store';
import { selectDetailsOpen, selectNode, selectRollup } from './selectors';
import { nodeMarkdown } from './markdownCache';
import { JSON_PREVIEW_LINES, KIND_INFO, nodeMetrics, TRUNCATE_AT, type Metrics } from './nodePresentation';
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
  const node = useSessionViewStore(selectNode(row.id));
  const rollup = useSessionViewStore(selectRollup(row.id));
  const detailsOpen = useSessionViewStore(selectDetailsOpen(row.id));
  const style: CSSProperties = { transform: `translateY(${start}px)` };

  if (!node) return null;
  const classes = ['log-row', `kind-${node.kind}`, `status-${node.status}`, active ? 'is-active' : '', isMatch ? 'is-match' : ''].filter(Boolean).join(' ');

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
      <RowContent row={row} node={node} rollup={rollup} detailsOpen={detailsOpen} onActivate={onActivate} onToggle={onToggle} />
    </div>
  );
});

interface RowContentProps {
  row: VisibleRow;
  node: LogNode;
  rollup: Totals | undefined;
  detailsOpen: boolean;
  onActivate: (id: string) => void;
  onToggle: (id: string) => void;
}

const RowContent = memo(function RowContent({ row, node, rollup, detailsOpen, onActivate, onToggle }: RowContentProps) {
  const indentLevels = Math.min(row.level - 1, MAX_INDENT_LEVELS);
  const headId = `log-head-${row.id}`;
  const info = KIND_INFO[node.kind] ?? KIND_INFO.system;
  const metrics = nodeMetrics(node, rollup);
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
            {node.model && (node.kind === 'assistant_message' || node.kind === 'thought') ? <span className="log-model">{node.model}</span> : null}
            {node.status !== 'complete' ? <LogStatusBadge status={node.status} /> : null}
            {row.level > MAX_INDENT_LEVELS + 1 ? <span className="log-depth">depth {row.level - 1}</span> : null}
            {row.hasChildren && !row.expanded ? <span className="log-hidden-count">{(rollup?.count ?? node.childCount + 1) - 1} hidden</span> : null}
          </span>
          <MetricsView metrics={metrics} />
        </div>
        <NodeBody node={node} detailsOpen={detailsOpen} />
        {slots.nodeActions ? <slots.nodeActions node={node} /> : null}
      </div>
    </div>
  );
});

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

function NodeBody({ node, detailsOpen }: { node: LogNode; detailsOpen: boolean }) {
  const streaming = node.status === 'streaming';
  const onToggleDetails = () => useSessionViewStore.getState().toggleDetails(node.id);
  switch (node.kind) {
    case 'user_message':
    case 'assistant_message':
      return <MessageBody nodeId={node.id} text={node.content} streaming={streaming} expanded={detailsOpen} onToggle={onToggleDetails} />;
    case 'thought':
      return <ThoughtBody text={node.content} streaming={streaming} expanded={detailsOpen} onToggle={onToggleDetails} />;
    case 'action':
      return (
        <div className="tool-card">
          <JsonBlock label="Arguments" value={node.toolArgs ?? (node.content || null)} expanded={detailsOpen} onToggle={onToggleDetails} />
          {node.toolResult !== null ? <JsonBlock label="Result" value={node.toolResult} expanded={detailsOpen} onToggle={onToggleDetails} /> : null}
        </div>
      );
    case 'observation':
      return (
        <div className={`tool-card${node.status === 'error' ? ' is-error' : ''}`}>
          <JsonBlock label="Output" value={node.toolResult ?? (node.content || null)} expanded={detailsOpen} onToggle={onToggleDetails} />
        </div>
      );
    case 'error':
      return (
        <div className="error-body" role="note">
          <Icon name="alert" size={14} />
          <span className="error-text">{node.content || 'Unknown error'}</span>
        </div>
      );
    case 'system':
    default:
      return <PlainBody text={node.content} expanded={detailsOpen} onToggle={onToggleDetails} />;
  }
}

function MessageBody({ nodeId, text, streaming, expanded, onToggle }: { nodeId: string; text: string; streaming: boolean; expanded: boolean; onToggle: () => void }) {
  const truncated = !expanded && text.length > TRUNCATE_AT;
  const shown = truncated ? text.slice(0, TRUNCATE_AT) : text;
  const html = useMemo(() => (shown.length <= MARKDOWN_LIMIT ? nodeMarkdown(nodeId, shown) : null), [nodeId, shown]);
  if (text === '' && streaming) return <div className="log-text is-waiting">Writing…</div>;
  return (
    <div className="log-message">
      {html !== null ? <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} /> : <div className="log-text">{shown}</div>}
      {streaming ? <span className="stream-caret" aria-hidden="true" /> : null}
      {text.length > TRUNCATE_AT ? <MoreButton expanded={expanded} onToggle={onToggle} total={text.length} /> : null}
    </div>
  );
}

function ThoughtBody({ text, streaming, expanded, onToggle }: { text: string; streaming: boolean; expanded: boolean; onToggle: () => void }) {
  const shown = expanded ? text : text.slice(0, 400);
  return (
    <div className={`thought${expanded ? ' is-open' : ''}`}>
      <div className="thought-text">
        {shown || (streaming ? 'Thinking…' : '')}
        {streaming ? <span className="stream-caret" aria-hidden="true" /> : null}
      </div>
      {text.length > 0 ? (
        <button type="button" className="inline-toggle" tabIndex={-1} aria-expanded={expanded} onClick={onToggle}>
          {expanded ? 'Hide thinking' : 'Show thinking'}
        </button>
      ) : null}
    </div>
  );
}

function PlainBody({ text, expanded, onToggle }: { text: string; expanded: boolean; onToggle: () => void }) {
  if (!text) return null;
  const shown = !expanded && text.length > TRUNCATE_AT ? text.slice(0, TRUNCATE_AT) : text;
  return (
    <div className="log-plain">
      <div className="log-text">{shown}</div>
      {text.length > TRUNCATE_AT ? <MoreButton expanded={expanded} onToggle={onToggle} total={text.length} /> : null}
    </div>
  );
}

function JsonBlock({ label, value, expanded, onToggle }: { label: string; value: JsonValue | null; expanded: boolean; onToggle: () => void }) {
  const parts = useMemo(() => splitForDisplay(value), [value]);
  const text = useMemo(() => (parts.json === null || parts.json === undefined ? '' : formatJson(parts.json)), [parts]);
  const lineCount = useMemo(() => countLines(text) + parts.blocks.reduce((n, b) => n + countLines(b.text), 0), [text, parts]);
  const size = text.length + parts.blocks.reduce((n, b) => n + b.text.length, 0);
  const long = lineCount > JSON_PREVIEW_LINES || size > TRUNCATE_AT;
  const clip = (s: string) => (long && !expanded ? s.split('\n').slice(0, JSON_PREVIEW_LINES).join('\n').slice(0, TRUNCATE_AT) : s);
  const empty = !text && parts.blocks.length === 0;
  return (
    <div className="json-block">
      <div className="json-label">{label}</div>
      {empty ? <div className="json-empty">None</div> : null}
      {text ? <pre className="json">{clip(text)}</pre> : null}
      {parts.blocks.map((block) => (
        <div key={block.key} className="json-text-block">
          {block.key ? <div className="json-key">{block.key}</div> : null}
          <pre className="json json-text">{clip(block.text)}</pre>
        </div>
      ))}
      {long ? (
        <button type="button" className="inline-toggle" tabIndex={-1} aria-expanded={expanded} onClick={onToggle}>
          {expanded ? 'Show less' : `Show all ${lineCount.toLocaleString('en-US')} lines`}
        </button>
      ) : null}
    </div>
  );
}

function countLines(text: string): number {
  if (!text) return 0;
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function MoreButton({ expanded, onToggle, total }: { expanded: boolean; onToggle: () => void; total: number }) {
  return (
    <button type="button" className="inline-toggle" tabIndex={-1} aria-expanded={expanded} onClick={onToggle}>
      {expanded ? 'Show less' : `Show all (${Math.round(total / 1000).toLocaleString('en-US')}k characters)`}
    </button>
  );
}
