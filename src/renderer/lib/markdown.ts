// Markdown for user and assistant messages. The model's output is untrusted: marked renders
// it and DOMPurify strips anything executable before it reaches innerHTML. A small cache keeps
// re-renders of the same text (scrolling back and forth in the tree) cheap.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false, async: false });

const cache = new Map<string, string>();
const CACHE_LIMIT = 500;
/** Longer texts are rendered as plain text: parsing megabytes on the UI thread would stall it. */
export const MARKDOWN_LIMIT = 200_000;

let hooked = false;
function ensureHooks(): void {
  if (hooked) return;
  hooked = true;
  // Links open outside the app (the host decides how); never in the app's own window.
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

export function renderMarkdown(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  ensureHooks();
  const raw = marked.parse(text) as string;
  const html = DOMPurify.sanitize(raw, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
    FORBID_ATTR: ['style'],
  });
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(text, html);
  return html;
}
