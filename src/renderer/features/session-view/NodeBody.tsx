// The body of a log node in the tree, per kind: messages as Markdown, thinking folded, tool
// arguments and results as a one-line preview until opened, with copy buttons throughout.
import { useEffect, useMemo, useRef } from 'react';
import type { JsonValue, LogNode } from '../../../shared/domain';
import { Icon } from '../../components/Icon';
import { formatJson, splitForDisplay } from '../../lib/format';
import { MARKDOWN_LIMIT } from '../../lib/markdown';
import { useSessionViewStore } from './store';
import { nodeMarkdown } from './markdownCache';
import { TRUNCATE_AT } from './nodePresentation';
import { CopyButton, addCodeCopyButtons } from './CopyButton';

export function NodeBody({ node, detailsOpen }: { node: LogNode; detailsOpen: boolean }) {
  // A message sent while the agent runs stays open until the run reads it: it is not being written.
  const streaming = node.status === 'streaming' && node.kind !== 'user_message';
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
  const markdownRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!streaming) addCodeCopyButtons(markdownRef.current);
  }, [html, streaming]);
  if (text === '' && streaming) return <div className="log-text is-waiting">Writing…</div>;
  return (
    <div className="log-message">
      {html !== null ? <div ref={markdownRef} className="markdown" dangerouslySetInnerHTML={{ __html: html }} /> : <div className="log-text">{shown}</div>}
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

/** One line of a JSON value: its pretty form with the line breaks folded, so it reads the same. */
function oneLine(text: string, blocks: ReadonlyArray<{ key: string; text: string }>): string {
  const parts = text ? [text.split('\n').map((l) => l.trim()).join(' ')] : [];
  for (const b of blocks) parts.push(`${b.key ? `${b.key}: ` : ''}${b.text.split('\n').find((l) => l.trim()) ?? ''}…`);
  const line = parts.join(' · ');
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS)}…` : line;
}

const PREVIEW_CHARS = 400;

function JsonBlock({ label, value, expanded, onToggle }: { label: string; value: JsonValue | null; expanded: boolean; onToggle: () => void }) {
  const parts = useMemo(() => splitForDisplay(value), [value]);
  const text = useMemo(() => (parts.json === null || parts.json === undefined ? '' : formatJson(parts.json)), [parts]);
  const lineCount = useMemo(() => countLines(text) + parts.blocks.reduce((n, b) => n + countLines(b.text), 0), [text, parts]);
  const empty = !text && parts.blocks.length === 0;
  // Folded to one line until opened: a screen shows many calls, not one call's arguments.
  const folds = lineCount > 1;
  const whole = () => [text, ...parts.blocks.map((b) => (b.key ? `${b.key}:\n${b.text}` : b.text))].filter(Boolean).join('\n\n');
  return (
    <div className="json-block">
      <div className="json-head">
        <span className="json-label">{label}</span>
        {folds ? (
          <button type="button" className="inline-toggle" tabIndex={-1} aria-expanded={expanded} onClick={onToggle}>
            {expanded ? 'Fold' : `Open (${lineCount.toLocaleString('en-US')} lines)`}
          </button>
        ) : null}
        {!empty ? <CopyButton text={whole} label={`Copy ${label.toLowerCase()}`} /> : null}
      </div>
      {empty ? <div className="json-empty">None</div> : null}
      {!empty && folds && !expanded ? <pre className="json is-preview">{oneLine(text, parts.blocks)}</pre> : null}
      {!empty && (!folds || expanded) ? (
        <>
          {text ? <pre className="json">{text}</pre> : null}
          {parts.blocks.map((block) => (
            <div key={block.key} className="json-text-block">
              {block.key ? <div className="json-key">{block.key}</div> : null}
              <pre className="json json-text">{block.text}</pre>
            </div>
          ))}
        </>
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
