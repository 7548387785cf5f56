// The on-disk span store of the OTLP import: children that arrive before their parents, sibling
// order by start or by Paddock's seq, bodies read back exactly, and the temp folder removed.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SpanSpill } from './otlp-spill.js';

describe('SpanSpill', () => {
  it('indexes spans written children first and reads every body back', () => {
    const spill = new SpanSpill<{ name: string; text: string }>();
    const big = 'x'.repeat(300_000);
    // A trace of 3 levels written leaves first (as spans end), with a body larger than one write.
    spill.add({ spanId: 'c2', parentSpanId: 'b', startMs: 30, seq: null }, { name: 'c2', text: 'é' });
    spill.add({ spanId: 'c1', parentSpanId: 'b', startMs: 20, seq: null }, { name: 'c1', text: big });
    spill.add({ spanId: 'b', parentSpanId: 'a', startMs: 10, seq: null }, { name: 'b', text: '' });
    spill.add({ spanId: 'a', parentSpanId: 'gone', startMs: 5, seq: null }, { name: 'a', text: '' });
    spill.add({ spanId: 'r0', parentSpanId: null, startMs: 1, seq: null }, { name: 'r0', text: '' });
    for (let i = 0; i < 5_000; i++) spill.add({ spanId: `n${i}`, parentSpanId: 'r0', startMs: 10_000 - i, seq: null }, { name: `n${i}`, text: big.slice(0, i) });
    const { roots, children } = spill.index();
    const name = (i: number) => spill.read(i).name;
    expect(roots.map(name)).toEqual(['r0', 'a']);
    const b = children(roots[1]!);
    expect(b.map(name)).toEqual(['b']);
    expect(children(b[0]!).map(name)).toEqual(['c1', 'c2']);
    expect(spill.read(children(b[0]!)[0]!).text).toBe(big);
    expect(spill.read(children(b[0]!)[1]!).text).toBe('é');
    const many = children(roots[0]!);
    expect(many).toHaveLength(5_000);
    expect(name(many[0]!)).toBe('n4999');
    expect(spill.read(many[4_999]!)).toEqual({ name: 'n0', text: '' });
    const dir = spill.dir;
    expect(fs.existsSync(dir)).toBe(true);
    spill.close();
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("orders the children of a span Paddock wrote by their seq, others by start", () => {
    const spill = new SpanSpill<string>();
    spill.add({ spanId: 'p', parentSpanId: null, startMs: 0, seq: 0 }, 'p');
    spill.add({ spanId: 'k2', parentSpanId: 'p', startMs: 1, seq: 2 }, 'k2');
    spill.add({ spanId: 'k1', parentSpanId: 'p', startMs: 2, seq: 1 }, 'k1');
    spill.add({ spanId: 'q', parentSpanId: null, startMs: 5, seq: null }, 'q');
    spill.add({ spanId: 'q2', parentSpanId: 'q', startMs: 7, seq: 0 }, 'q2');
    spill.add({ spanId: 'q1', parentSpanId: 'q', startMs: 6, seq: 9 }, 'q1');
    const { roots, children } = spill.index();
    expect(roots.map((i) => spill.read(i))).toEqual(['p', 'q']);
    expect(children(roots[0]!).map((i) => spill.read(i))).toEqual(['k1', 'k2']);
    expect(children(roots[1]!).map((i) => spill.read(i))).toEqual(['q1', 'q2']);
    spill.close();
  });
});
