// Human formatting of figures shown all over the UI. Pure and locale-stable (en-US) so that
// screenshots and tests do not change with the machine's locale.

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US');

export function formatTokens(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0';
  return n < 10_000 ? whole.format(n) : compact.format(n);
}

export function formatCost(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) return '$0';
  if (usd < 0.00005) return '<$0.0001';
  // Decide on the rounded value, so a float sum like 0.00999999 reads "$0.01", not "$0.0100".
  const small = usd.toFixed(4);
  if (Number(small) < 0.01) return `$${small}`;
  if (usd < 100) return `$${usd.toFixed(2)}`;
  return `$${whole.format(Math.round(usd))}`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s % 60);
  if (m < 60) return rest === 0 ? `${m}m` : `${m}m ${rest}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

/** "just now", "5 min ago", "3 h ago", "Yesterday", or a date for older things. */
export function formatRelative(iso: string | null, now: number = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const diff = Math.max(0, now - t);
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  if (diff < minute) return 'just now';
  if (diff < hour) return `${Math.floor(diff / minute)} min ago`;
  if (diff < day) return `${Math.floor(diff / hour)} h ago`;
  if (diff < 2 * day) return 'Yesterday';
  if (diff < 7 * day) return `${Math.floor(diff / day)} days ago`;
  return formatDate(iso);
}

export function formatDate(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso: string | Date | null): string {
  if (!iso) return '';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Stable pretty JSON; undefined/unserialisable values become a readable placeholder. */
export function formatJson(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    // Tool payloads often arrive as JSON text: show them structured when they parse.
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export function pluralize(n: number, one: string, many = `${one}s`): string {
  return `${whole.format(n)} ${n === 1 ? one : many}`;
}

/** Initials for an avatar fallback: "Code Reviewer" -> "CR". */
export function initials(name: string): string {
  // Words that start with a letter or digit: "Docs writer (copy)" -> "DW", not "D(".
  const words = name
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]!][0] ?? '';
  const second = words.length > 1 ? ([...words[1]!][0] ?? '') : ([...words[0]!][1] ?? '');
  return (first + second).toUpperCase();
}

export interface DisplayParts {
  /** What is left to show as JSON (null when nothing is). */
  json: unknown;
  /** Multi-line text fields shown as text blocks (file contents, stdout...), not escaped JSON. */
  blocks: Array<{ key: string; text: string }>;
}

/**
 * Splits a tool payload for display: top-level string fields that span several lines read far
 * better as text than as one JSON string full of "\n". A plain multi-line string becomes a block.
 */
export function splitForDisplay(value: unknown): DisplayParts {
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'object' && parsed !== null) return splitForDisplay(parsed);
    } catch {
      // not JSON text: fall through
    }
    return value.includes('\n') ? { json: null, blocks: [{ key: '', text: value }] } : { json: value, blocks: [] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { json: value, blocks: [] };
  const rest: Record<string, unknown> = {};
  const blocks: DisplayParts['blocks'] = [];
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (typeof field === 'string' && field.includes('\n')) blocks.push({ key, text: field });
    else rest[key] = field;
  }
  return { json: Object.keys(rest).length > 0 || blocks.length === 0 ? rest : null, blocks };
}
