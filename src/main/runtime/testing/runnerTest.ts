// Helpers shared by the runner test files (runner.test.ts and its runner.*.test.ts siblings).

import type { LogNode } from '../../../shared/domain';
import type { Harness } from './harness';

/** The body of the harness server's `i`-th POST request, as JSON text (`null` when there is none). */
export const requestBody = (h: Harness, i: number) =>
  JSON.stringify(h.server.requests.filter((r) => r.method === 'POST')[i]?.body ?? null);

export const byKind = (nodes: LogNode[], kind: LogNode['kind']) => nodes.filter((n) => n.kind === kind);

export async function until<T>(fn: () => Promise<T | undefined | null | false>): Promise<T> {
  for (;;) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}
