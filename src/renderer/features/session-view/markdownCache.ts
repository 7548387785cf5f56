// Rendered (sanitised) markdown per log node. A row remounts every time it scrolls back into
// view; parsing and sanitising its text again each time was a visible share of a fast scroll.
// Keyed by node id and checked against the text, so a message that grows while streaming, or
// is shown truncated then in full, is rendered again only when its text really changed.
import { renderMarkdown } from '../../lib/markdown';

const LIMIT = 3_000;
const cache = new Map<string, { text: string; html: string }>();

export function nodeMarkdown(nodeId: string, text: string): string {
  const hit = cache.get(nodeId);
  if (hit && hit.text === text) {
    // Re-insert: the Map's insertion order then doubles as least-recently-used order.
    cache.delete(nodeId);
    cache.set(nodeId, hit);
    return hit.html;
  }
  const html = renderMarkdown(text);
  cache.delete(nodeId);
  if (cache.size >= LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(nodeId, { text, html });
  return html;
}
