import { describe, expect, it } from 'vitest';
import { isJsonValue } from './isJsonValue';

describe('isJsonValue', () => {
  it('accepts plain JSON data', () => {
    for (const v of [null, true, 0, -1.5, '', 'x', [], {}, [1, 'a', null, { b: [true] }], { a: { b: { c: [1, 2, { d: null }] } } }, Object.create(null)]) {
      expect(isJsonValue(v)).toBe(true);
    }
  });

  it('refuses what JSON cannot carry', () => {
    for (const v of [undefined, NaN, Infinity, -Infinity, 1n, Symbol('s'), () => 1, new Date(), new Map(), new Set(), /x/, new Uint8Array(2), [undefined], { a: undefined }, { a: [1, NaN] }, Object.assign(new Array(2), { 1: 1 })]) {
      expect(isJsonValue(v)).toBe(false);
    }
  });

  it('survives nesting far deeper than the call stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(isJsonValue(deep)).toBe(true);
  });

  it('agrees with a JSON round trip on what it accepts', () => {
    const v = { s: 'é\u0000', n: 1e308, a: [[], {}], o: { 'key with space': false } };
    expect(isJsonValue(v)).toBe(true);
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });
});
