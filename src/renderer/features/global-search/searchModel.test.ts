import { describe, expect, it } from 'vitest';
import { SNIPPET_MATCH_END as E, SNIPPET_MATCH_START as S, type LogSearchHit } from '../../../shared/ipc';
import { NO_FILTERS, PAGE_SIZE, flattenGroups, groupHits, moveSelection, pageRequest, splitSnippet, type SessionLabel } from './searchModel';

const hit = (sessionId: string, nodeId: string, rank: number): LogSearchHit => ({ nodeId, sessionId, kind: 'assistant_message', status: 'complete', snippet: `x ${S}y${E}`, rank });
const label = (id: string): SessionLabel => ({ id, name: `Session ${id}`, agentId: `agent-${id}`, agentName: `Agent ${id}`, archived: false });

describe('splitSnippet', () => {
  it('splits text and matches on the marker characters', () => {
    expect(splitSnippet(`the ${S}quick${E} brown ${S}fox${E}`)).toEqual([
      { text: 'the ', match: false },
      { text: 'quick', match: true },
      { text: ' brown ', match: false },
      { text: 'fox', match: true },
    ]);
  });

  it('keeps markup-looking text as plain text and drops nothing', () => {
    const parts = splitSnippet(`<img src=x onerror=alert(1)> ${S}<b>hit</b>${E}`);
    expect(parts).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: '<b>hit</b>', match: true },
    ]);
  });

  it('tolerates unbalanced markers and empty matches', () => {
    expect(splitSnippet(`cut ${S}off`)).toEqual([
      { text: 'cut ', match: false },
      { text: 'off', match: true },
    ]);
    expect(splitSnippet(`tail${E} rest`)).toEqual([{ text: 'tail rest', match: false }]);
    expect(splitSnippet(`a${S}${E}b`)).toEqual([{ text: 'ab', match: false }]);
    expect(splitSnippet('')).toEqual([]);
  });
});

describe('groupHits', () => {
  it('groups by session in the order of each session’s best hit, and skips unknown or deleted sessions', () => {
    const hits = [hit('b', 'b1', 1), hit('a', 'a1', 2), hit('gone', 'g1', 3), hit('b', 'b2', 4), hit('deleted', 'd1', 5), hit('a', 'a2', 6)];
    const labels = new Map<string, SessionLabel | null>([
      ['a', label('a')],
      ['b', label('b')],
      ['deleted', null],
    ]);
    const groups = groupHits(hits, labels);
    expect(groups.map((g) => g.session.id)).toEqual(['b', 'a']);
    expect(groups.map((g) => g.hits.map((h) => h.nodeId))).toEqual([
      ['b1', 'b2'],
      ['a1', 'a2'],
    ]);
    expect(flattenGroups(groups).map((h) => h.nodeId)).toEqual(['b1', 'b2', 'a1', 'a2']);
  });

  it('is empty without hits', () => {
    expect(groupHits([], new Map())).toEqual([]);
  });
});

describe('moveSelection', () => {
  it('wraps around in both directions', () => {
    expect(moveSelection(0, 3, 1)).toBe(1);
    expect(moveSelection(2, 3, 1)).toBe(0);
    expect(moveSelection(0, 3, -1)).toBe(2);
  });
  it('starts at an end when nothing is selected, and stays -1 without items', () => {
    expect(moveSelection(-1, 3, 1)).toBe(0);
    expect(moveSelection(-1, 3, -1)).toBe(2);
    expect(moveSelection(5, 3, 1)).toBe(0);
    expect(moveSelection(0, 0, 1)).toBe(-1);
  });
});

describe('pageRequest', () => {
  it('asks for the newest page with only the filters that are set', () => {
    expect(pageRequest('needle', NO_FILTERS, null)).toEqual({ query: 'needle', order: 'recent', limit: PAGE_SIZE, cursor: null });
    const now = Date.parse('2026-05-10T12:00:00.000Z');
    expect(pageRequest('needle', { agentId: 'a1', kind: 'action', when: 'week' }, 'c1', now)).toEqual({
      query: 'needle', order: 'recent', limit: PAGE_SIZE, cursor: 'c1', agentId: 'a1', kinds: ['action'], from: '2026-05-03T12:00:00.000Z',
    });
  });
});
