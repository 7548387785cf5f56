import { describe, expect, it } from 'vitest';
import { findTermRanges, searchTerms } from './searchHighlight';

describe('search highlight terms', () => {
  it('splits a query into unique lower-case words without quotes', () => {
    expect(searchTerms('  Retry "Backoff"  retry ')).toEqual(['retry', 'backoff']);
    expect(searchTerms('   ')).toEqual([]);
  });

  it('finds every case-insensitive occurrence of each term', () => {
    expect(findTermRanges('Backoff and backoff; retry', ['backoff', 'retry'])).toEqual([
      [0, 7],
      [12, 19],
      [21, 26],
    ]);
    expect(findTermRanges('aaaa', ['aa'])).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(findTermRanges('nothing', ['zzz'])).toEqual([]);
  });
});
