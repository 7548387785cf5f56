// Marks search terms inside the rows on screen with the CSS Custom Highlight API: no DOM
// changes (so Markdown HTML and row measurement are untouched), and only visible rows cost
// anything. Browsers without the API simply show no marks.

const NAME = 'paddock-search';

/** Lower-cased words of a query; quotes are dropped (the server treats them as phrases). */
export function searchTerms(query: string): string[] {
  return [
    ...new Set(
      query
        .toLowerCase()
        .replace(/["“”]/g, ' ')
        .split(/\s+/)
        .filter((t) => t.length > 0),
    ),
  ];
}

/** Start offsets of every occurrence of each term in `text` (case-insensitive), as [start, end] pairs. */
export function findTermRanges(text: string, terms: readonly string[]): Array<[number, number]> {
  const lower = text.toLowerCase();
  const out: Array<[number, number]> = [];
  for (const term of terms) {
    let at = lower.indexOf(term);
    while (at !== -1) {
      out.push([at, at + term.length]);
      at = lower.indexOf(term, at + term.length);
    }
  }
  return out;
}

interface HighlightRegistry {
  set(name: string, highlight: unknown): void;
  delete(name: string): void;
}

export function highlightTerms(container: HTMLElement | null, query: string): void {
  const registry = (globalThis.CSS as unknown as { highlights?: HighlightRegistry } | undefined)?.highlights;
  const HighlightCtor = (globalThis as unknown as { Highlight?: new (...ranges: Range[]) => unknown }).Highlight;
  if (!registry || !HighlightCtor) return;
  const terms = searchTerms(query);
  if (!container || terms.length === 0) {
    registry.delete(NAME);
    return;
  }
  const ranges: Range[] = [];
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node && ranges.length < 2000; node = walker.nextNode()) {
    const text = node.nodeValue ?? '';
    for (const [start, end] of findTermRanges(text, terms)) {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      ranges.push(range);
    }
  }
  registry.set(NAME, new HighlightCtor(...ranges));
}
