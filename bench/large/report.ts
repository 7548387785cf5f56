// Writes the large-history results: bench/large/results.json (raw) and the "Large history"
// section of bench/RESULTS.md, between markers so the main bench's report keeps it
// (bench/run.mjs copies the section over when it rewrites the file).

import fs from 'node:fs';
import path from 'node:path';
import type { LargeSpec } from './generate.js';
import type { RetentionFigures } from './retention.js';

export interface LargeFigure {
  group: string;
  label: string;
  unit: string;
  n: number;
  min: number;
  median: number;
  max: number;
  baseline?: number;
  baselineLabel?: string;
  target?: { max?: number; maxRatio?: number };
}

export interface LargeResults {
  date: string;
  smoke: boolean;
  command: string;
  loadBefore: number[];
  loadAfter: number[];
  cpus: number;
  cpu: string;
  history: { nodes: number; sessions: number; chunks: number; generationSeconds: number; cached: boolean; bytes: number; vacuumedBytes: number | null; spec: LargeSpec };
  figures: LargeFigure[];
  /** A clean-up run through the app on a copy of the history (absent with --no-retention). */
  retention?: RetentionFigures | null;
}

export const SECTION_START = '<!-- large-history:start -->';
export const SECTION_END = '<!-- large-history:end -->';

const f1 = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(1));

function verdict(f: LargeFigure): string {
  if (!f.target) return '';
  const okAbs = f.target.max === undefined || f.median <= f.target.max;
  const okRatio = f.target.maxRatio === undefined || f.baseline === undefined || f.median / f.baseline <= f.target.maxRatio;
  return okAbs && okRatio ? 'met' : 'MISSED';
}

function targetText(f: LargeFigure): string {
  const parts: string[] = [];
  if (f.target?.max !== undefined) parts.push(`≤ ${f.target.max} ms`);
  if (f.target?.maxRatio !== undefined) parts.push(`≤ ${f.target.maxRatio}×`);
  return parts.join(', ');
}

export function renderSection(r: LargeResults, analysis: string): string {
  const h = r.history;
  const mb = (b: number) => `${(b / 1_048_576).toLocaleString('en', { maximumFractionDigits: 0 })} MB`;
  const rows = r.figures.map((f) => {
    const ratio = f.baseline === undefined ? '' : `${(f.median / f.baseline).toFixed(2)}×`;
    const base = f.baseline === undefined ? '' : `${f1(f.baseline)} ms (${f.baselineLabel})`;
    return `| ${f.group} | ${f.label} | **${f1(f.median)}** ms | ${f1(f.min)} – ${f1(f.max)} | ${f.n} | ${base} | ${ratio} | ${targetText(f)} | ${verdict(f)} |`;
  });
  const perK = (b: number) => `${Math.round((b / h.nodes) * 1000).toLocaleString('en')} bytes`;
  return [
    SECTION_START,
    '## Large history (issue 16)',
    '',
    `Run ${r.date}. Command: \`${r.command}\` (the history is built once and cached in \`bench/.cache/\`; see \`bench/large/README.md\`).`,
    '',
    `Machine: ${r.cpu}, ${r.cpus} cores, shared with other sessions running test suites: load average ${r.loadBefore.map((x) => x.toFixed(2)).join(' / ')} at the start, ${r.loadAfter.map((x) => x.toFixed(2)).join(' / ')} at the end (1 / 5 / 15 min). Absolute times are inflated by that load; the ratios compare runs made side by side.`,
    '',
    `History: ${h.sessions.toLocaleString('en')} sessions (${h.spec.bigSessions} of ${h.spec.bigNodes.toLocaleString('en')} nodes, the rest 3 – ~1,500), ${h.nodes.toLocaleString('en')} log nodes, ${h.chunks.toLocaleString('en')} streamed-chunk rows, ${h.spec.agents} agents, ${h.spec.days} days of timestamps, ${h.spec.trashed} sessions in the trash. Generated in ${f1(h.generationSeconds)} s ${h.cached ? 'when the cache was built (reused by this run)' : 'by this run'} (set-based INSERT … SELECT on the raw libsql engine, 64 sessions per transaction, the schema's own full-text triggers).`,
    '',
    '| Group | Figure | Paddock (median) | Min – max | n | Baseline (best plain SQL, same file) | Ratio | Target | |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Space: ${mb(h.bytes)} for ${h.nodes.toLocaleString('en')} nodes = **${perK(h.bytes)} per 1,000 nodes** (text, tree, streamed chunks and the full-text index).` +
      (h.vacuumedBytes === null ? '' : ` \`VACUUM\` (measured with \`VACUUM INTO\`) gives ${mb(h.vacuumedBytes)} = ${perK(h.vacuumedBytes)} per 1,000 nodes: ${(((h.bytes - h.vacuumedBytes) / h.bytes) * 100).toFixed(1)} % back on a history that was only ever appended to; what retention gives back is measured below.`),
    '',
    ...retentionText(r.retention ?? null, mb),
    '',
    analysis.trim(),
    SECTION_END,
  ].join('\n');
}

function retentionText(x: RetentionFigures | null, mb: (b: number) => string): string[] {
  if (!x) return [];
  const back = x.fileBefore - x.fileAfter;
  return [
    `Retention, through the app on a copy of this history (\`storage.retentionPreview\` then \`storage.retentionRun\` over the WebSocket, rule: ${x.ruleLabel}): ` +
      `the preview said ${x.preview.sessions.toLocaleString('en')} sessions, ${x.preview.nodes.toLocaleString('en')} nodes, ${mb(x.preview.bytes)} of text (answered in ${f1(x.previewMs)} ms); ` +
      `the run deleted ${x.result.sessions.toLocaleString('en')} sessions and ${x.result.nodes.toLocaleString('en')} nodes in ${f1(x.runMs / 1000)} s and the file went from ${mb(x.fileBefore)} to ${mb(x.fileAfter)}: ` +
      `**${mb(back)} given back** to the file system (${((back / x.fileBefore) * 100).toFixed(1)} %, incremental vacuum). ` +
      `The sessions list asked every 100 ms meanwhile answered in ${f1(x.listDuring.median)} ms (median of ${x.listDuring.n}), worst ${f1(x.listDuring.max)} ms.`,
  ];
}

/** The section in RESULTS.md replaced (or appended). */
export function spliceSection(md: string, section: string): string {
  const a = md.indexOf(SECTION_START);
  const b = md.indexOf(SECTION_END);
  if (a >= 0 && b > a) return md.slice(0, a) + section + md.slice(b + SECTION_END.length);
  return `${md.trimEnd()}\n\n${section}\n`;
}

export function writeReport(root: string, r: LargeResults): void {
  const dir = path.join(root, 'bench', 'large');
  if (r.smoke) {
    fs.mkdirSync(path.join(root, 'bench', '.tmp'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench', '.tmp', 'large-smoke.json'), `${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(r, null, 2)}\n`);
  const analysisFile = path.join(dir, 'analysis.md');
  const analysis = fs.existsSync(analysisFile) ? fs.readFileSync(analysisFile, 'utf8') : '';
  const section = renderSection(r, analysis);
  const resultsMd = path.join(root, 'bench', 'RESULTS.md');
  fs.writeFileSync(resultsMd, spliceSection(fs.readFileSync(resultsMd, 'utf8'), section));
  fs.writeFileSync(path.join(dir, 'section.md'), `${section}\n`);
}
