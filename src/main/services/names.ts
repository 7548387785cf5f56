// Imported agents never share a name with one already here: "Reviewer" arrives as
// "Reviewer (2)" (then 3, 4…), so two identical rows never appear in the sidebar.

/** `base` when free, else `base (N)` with the smallest N ≥ 2 not taken. */
export function uniqueName(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})`;
    if (!used.has(candidate)) return candidate;
  }
}
