// Summarises a V8 CPU profile (Node's --cpu-prof or Chromium's Profiler domain): the functions
// that took the most time themselves and including what they called.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function topFunctions(p: CpuProfile, k = 25): { totalMs: number; self: [string, number][]; inclusive: [string, number][] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    let id: number | undefined = p.samples[i];
    const leaf = byId.get(id!)!;
    self.set(name(leaf), (self.get(name(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    while (id !== undefined) {
      const key = name(byId.get(id)!);
      if (!seen.has(key)) {
        incl.set(key, (incl.get(key) ?? 0) + dt);
        seen.add(key);
      }
      id = parent.get(id);
    }
  }
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, v]) => [n, Math.round(v * 10) / 10] as [string, number]);
  return { totalMs: Math.round(total), self: top(self), inclusive: top(incl) };
}
