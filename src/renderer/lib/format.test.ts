import { describe, expect, it } from 'vitest';
import { formatCost, formatDuration, formatJson, formatRelative, formatTokens, initials, splitForDisplay } from './format';

describe('format', () => {
  it('formats tokens compactly above 10k', () => {
    expect(formatTokens(0)).toBe('0');
    expect(formatTokens(9_999)).toBe('9,999');
    expect(formatTokens(63_200)).toBe('63.2K');
  });

  it('formats cost by magnitude and rounds float sums sensibly', () => {
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(0.00001)).toBe('<$0.0001');
    expect(formatCost(0.0027)).toBe('$0.0027');
    expect(formatCost(0.1 * 0.1 - 0.00000000000001)).toBe('$0.01');
    expect(formatCost(0.4123)).toBe('$0.41');
    expect(formatCost(1234.5)).toBe('$1,235');
  });

  it('formats durations from ms to hours', () => {
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(904)).toBe('904ms');
    expect(formatDuration(2300)).toBe('2.3s');
    expect(formatDuration(100_000)).toBe('1m 40s');
    expect(formatDuration(3_720_000)).toBe('1h 2m');
  });

  it('formats relative times', () => {
    const now = Date.parse('2025-06-02T12:00:00Z');
    expect(formatRelative('2025-06-02T11:59:30Z', now)).toBe('just now');
    expect(formatRelative('2025-06-02T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2025-06-01T10:00:00Z', now)).toBe('Yesterday');
    expect(formatRelative('not a date', now)).toBe('');
  });

  it('pretty-prints JSON, including JSON held in a string', () => {
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(formatJson('plain text')).toBe('plain text');
  });

  it('pulls multi-line string fields out of tool payloads', () => {
    expect(splitForDisplay({ path: 'a.ts', content: 'line 1\nline 2' })).toEqual({ json: { path: 'a.ts' }, blocks: [{ key: 'content', text: 'line 1\nline 2' }] });
    expect(splitForDisplay({ stdout: 'x\ny' })).toEqual({ json: null, blocks: [{ key: 'stdout', text: 'x\ny' }] });
    expect(splitForDisplay('a\nb')).toEqual({ json: null, blocks: [{ key: '', text: 'a\nb' }] });
    expect(splitForDisplay('{"n":1}')).toEqual({ json: { n: 1 }, blocks: [] });
    expect(splitForDisplay([1, 2])).toEqual({ json: [1, 2], blocks: [] });
    expect(splitForDisplay({})).toEqual({ json: {}, blocks: [] });
  });

  it('derives initials', () => {
    expect(initials('Code reviewer')).toBe('CR');
    expect(initials('solo')).toBe('SO');
    expect(initials('  ')).toBe('?');
    expect(initials('Docs writer (copy)')).toBe('DW');
  });
});
