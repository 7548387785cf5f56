// Guards async store actions against out-of-order answers: only the latest request of a kind
// may write its result (typing fast in a search box must not show an older result last).
export function createRequestGate(): { next: () => number; isCurrent: (ticket: number) => boolean } {
  let latest = 0;
  return {
    next: () => ++latest,
    isCurrent: (ticket) => ticket === latest,
  };
}
