// Which format a file is in, from its first lines (never the whole file).
import { PaddockError } from '../../../shared/ipc/result.js';
import type { ImportFormat, SourceLine } from '../types.js';
import { isObj } from '../values.js';

const CLAUDE_TYPES = new Set(['user', 'assistant', 'summary', 'system', 'file-history-snapshot', 'queue-operation']);
const CODEX_TYPES = new Set(['session_meta', 'response_item', 'turn_context', 'event_msg', 'compacted']);

export async function detectFormat(lines: AsyncIterable<SourceLine>): Promise<ImportFormat> {
  let seen = 0;
  for await (const { text } of lines) {
    const t = text.trim();
    if (t === '') continue;
    if (++seen > 20) break;
    if (t.startsWith('{"format":"paddock.session"')) return 'paddock';
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      if (/"format"\s*:\s*"paddock\.session"/.test(t)) return 'paddock';
      if (t.includes('"resourceSpans"')) return 'otlp';
      continue;
    }
    if (!isObj(v)) continue;
    if (v.format === 'paddock.session') return 'paddock';
    if (Array.isArray(v.resourceSpans)) return 'otlp';
    if (typeof v.type === 'string') {
      if (/^[A-Z][A-Z_]+$/.test(v.type)) return 'ag-ui';
      if (CODEX_TYPES.has(v.type) && isObj(v.payload)) return 'codex';
      if (CLAUDE_TYPES.has(v.type) && ('uuid' in v || 'sessionId' in v || 'leafUuid' in v || 'messageId' in v)) return 'claude-code';
    }
  }
  throw new PaddockError('VALIDATION', 'Could not tell the format of this file (Claude Code, Codex, AG-UI, OpenTelemetry or Paddock); choose it explicitly');
}
