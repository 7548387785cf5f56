// The agent's switch for title refinement: kept as `refineTitles` in its settings JSON (what
// main reads), shown as a plain checkbox. Off by default: off means no call and no cost.
export function readRefineTitles(settingsText: string): boolean | null {
  try {
    const v = JSON.parse(settingsText || '{}') as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    return (v as Record<string, unknown>).refineTitles === true;
  } catch {
    return null;
  }
}

export function RefineTitlesToggle({ settingsText, onChange }: { settingsText: string; onChange: (text: string) => void }) {
  const on = readRefineTitles(settingsText);
  const toggle = (checked: boolean) => {
    const settings = JSON.parse(settingsText || '{}') as Record<string, unknown>;
    if (checked) settings.refineTitles = true;
    else delete settings.refineTitles;
    onChange(JSON.stringify(settings, null, 2));
  };
  return (
    <label className="switch-row">
      <input type="checkbox" checked={on === true} disabled={on === null} onChange={(e) => toggle(e.target.checked)} data-testid="refine-titles-toggle" />
      <span>Let the small model refine each session&apos;s title after the first answer (one short call per session, counted in its usage)</span>
    </label>
  );
}
