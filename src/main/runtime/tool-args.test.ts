import { describe, expect, it } from 'vitest';
import { jsonTextExceedsDepth, MAX_TOOL_ARGS_DEPTH, refusedArguments } from './tool-args';

const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('tool argument depth', () => {
  it('counts real nesting only, not brackets inside strings or after escapes', () => {
    expect(jsonTextExceedsDepth(nested(MAX_TOOL_ARGS_DEPTH))).toBe(false);
    expect(jsonTextExceedsDepth(nested(MAX_TOOL_ARGS_DEPTH + 1))).toBe(true);
    expect(jsonTextExceedsDepth(`{"a":"${'['.repeat(1000)}"}`)).toBe(false);
    expect(jsonTextExceedsDepth(`{"a":"\\"${'{'.repeat(1000)}"}`)).toBe(false);
    expect(jsonTextExceedsDepth(`{"a":"x\\\\"${','}"b":${nested(MAX_TOOL_ARGS_DEPTH)}}`)).toBe(true);
    expect(jsonTextExceedsDepth(nested(100_000))).toBe(true);
  });

  it('refuses parsed arguments that are too deep without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(refusedArguments('read_file', { path: deep })).toMatch(/nested deeper than 64 levels/);
    expect(refusedArguments('read_file', { path: 'a.txt' })).toBeNull();
  });
});
