// Trace views on a 100,000-node session, in Chromium against the browser host: search inside
// the session (first hits through the API, side by side with a plain FTS query for the same
// hits on the same database file, and Enter → first hit revealed on screen), the session's
// open (first screen, everything loaded), PageDown held in the tree (key repeat every 30 ms),
// the timeline's first paint after clicking "Timeline", and its frames while zooming and
// panning every frame (Ctrl+wheel and Shift+wheel, as a trackpad would send them).

import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import Driver from 'libsql';
import { tempDir } from './lib/db.js';
import { figure, type BenchOutput, type Figure } from './lib/figures.js';
import { HostProcess } from './lib/hostProcess.js';
import { summarize } from './lib/stats.js';
import { ContractClient } from './lib/wsClient.js';
import { CHROMIUM_ARGS, importSession, measureOpen, selectAgent, type Imported } from './browser.js';

export interface TraceOptions {
  nodes: number;
  samples: number;
  holdMs: number;
}

const AFTER_PAINT = `(cb) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => cb(performance.now()); ch.port2.postMessage(0); })`;

/** Key repeat: a PageDown keydown on the focused row every 30 ms; rAF deltas meanwhile. */
function holdPageDownScript(holdMs: number): string {
  return `(async () => new Promise((resolve) => {
    const deltas = []; let last = null; const t0 = performance.now();
    const timer = setInterval(() => {
      const el = document.activeElement;
      el && el.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true, cancelable: true }));
    }, 30);
    const step = (t) => {
      if (last !== null) deltas.push(t - last);
      last = t;
      if (t - t0 < ${holdMs}) requestAnimationFrame(step);
      else { clearInterval(timer); resolve({ deltas, index: document.activeElement && document.activeElement.getAttribute('data-index') }); }
    };
    requestAnimationFrame(step);
  }))()`;
}

/** From the click on "Timeline" to the timeline's canvas painted with its rows. */
function armTimelineScript(): string {
  return `(() => {
    const afterPaint = ${AFTER_PAINT};
    window.__benchTimeline = new Promise((resolve) => {
      let t0 = null;
      const check = () => {
        const c = document.querySelector('[data-testid="timeline-canvas"]');
        if (t0 !== null && c && c.dataset.paintMs) { mo.disconnect(); afterPaint((t) => resolve({ ms: t - t0, paintMs: Number(c.dataset.paintMs) })); }
      };
      const mo = new MutationObserver(check);
      mo.observe(document.body, { childList: true, subtree: true, attributes: true });
      document.addEventListener('click', (e) => { t0 = e.timeStamp; check(); }, { capture: true, once: true });
    });
  })()`;
}

/** Zoom (Ctrl+wheel) and pan (Shift+wheel) on every frame, and a vertical scroll, for holdMs. */
function panZoomScript(holdMs: number): string {
  return `(async () => new Promise((resolve) => {
    const host = document.querySelector('[data-testid="timeline-canvas-host"]');
    const r = host.getBoundingClientRect();
    const deltas = []; let last = null; let frame = 0; const t0 = performance.now();
    const step = (t) => {
      if (last !== null) deltas.push(t - last);
      last = t; frame++;
      const zoom = frame % 4 < 2;
      host.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: r.left + r.width * 0.7, clientY: r.top + 100,
        deltaY: zoom ? (frame % 8 < 4 ? -60 : 60) : 40, ctrlKey: zoom, shiftKey: !zoom }));
      if (frame % 10 === 0) host.scrollTop += 220;
      if (t - t0 < ${holdMs}) requestAnimationFrame(step);
      else resolve({ deltas });
    };
    requestAnimationFrame(step);
  }))()`;
}

/** Words of the generated sessions' text: each in thousands of nodes of a 100k session. */
const SEARCH_WORDS = ['garnet', 'harbor', 'indigo', 'juniper', 'kestrel', 'lumen', 'cedar', 'ember'];

/** One search call and one plain FTS query for the same session's hits, alternating. */
async function searchSideBySide(api: ContractClient, dbFile: string, sessionId: string, reps: number) {
  const raw = new Driver(dbFile, { readonly: true });
  const key = `"${Buffer.from(sessionId).toString('hex')}"`;
  const fts = raw.prepare('SELECT rowid FROM log_fts WHERE log_fts MATCH ? AND log_fts.session_key MATCH ?');
  const out = { page: [] as number[], full: [] as number[], fts: [] as number[], hits: 0 };
  try {
    for (let i = 0; i < reps; i++) {
      const word = SEARCH_WORDS[i % SEARCH_WORDS.length]!;
      let t = performance.now();
      await api.call('logs.searchPage', { query: word, sessionId, order: 'tree', limit: 50 });
      out.page.push(performance.now() - t);
      t = performance.now();
      // What the session view asks for on Enter (logs.search, tree order, up to 1,000 hits).
      const hits = await api.call<unknown[]>('logs.search', { query: word, sessionId, order: 'tree', limit: 1000 });
      out.full.push(performance.now() - t);
      out.hits = hits.length;
      t = performance.now();
      fts.all(`{content tool_name tool_args tool_result} : ("${word}"*)`, key);
      out.fts.push(performance.now() - t);
    }
  } finally {
    raw.close();
  }
  return out;
}

/** Enter in the session's search box → the first hit's row painted on screen, marked. */
async function searchReveal(page: Page, reps: number): Promise<number[]> {
  const box = page.getByRole('searchbox', { name: 'Search in session' });
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    await box.fill('');
    await box.fill(SEARCH_WORDS[(i + 3) % SEARCH_WORDS.length]!);
    await page.evaluate(`(() => {
      const afterPaint = ${AFTER_PAINT};
      window.__benchReveal = new Promise((resolve) => {
        let t0 = null;
        const onScreen = () => {
          const row = document.querySelector('[data-testid="log-row"].is-match');
          if (!row) return false;
          const r = row.getBoundingClientRect();
          return r.bottom > 0 && r.top < window.innerHeight;
        };
        const check = () => { if (t0 !== null && onScreen()) { mo.disconnect(); afterPaint((t) => resolve(t - t0)); } };
        const mo = new MutationObserver(check);
        mo.observe(document.body, { childList: true, subtree: true, attributes: true });
        document.addEventListener('keydown', (e) => { if (e.key === 'Enter') { t0 = e.timeStamp; } }, { capture: true, once: true });
      });
    })()`);
    await box.press('Enter');
    times.push((await page.evaluate('window.__benchReveal')) as number);
  }
  await box.fill('');
  await box.press('Escape');
  return times;
}

function frames(id: string, label: string, deltas: number[], meaning: string): Figure {
  return figure({ id, group: '11 Trace views', label, unit: 'ms', target: { op: '<=', value: 20 }, judgedOn: 'p95', meaning,
    note: `${deltas.filter((d) => d > 20).length} of ${deltas.length} frames over 20 ms, worst ${summarize(deltas).max.toFixed(0)} ms` }, deltas, { percentiles: true });
}

interface BrowserRun {
  open: { first: number; full: number | null }[];
  reveal: number[];
  paging: { deltas: number[]; index: string | null };
  timeline: { ms: number; paintMs: number };
  panZoom: { deltas: number[] };
  paintMs: number;
  chromium: string;
  /** Every click → timeline time, when several runs were merged. */
  timelineSamples?: number[];
}

/** The browser half: open, search reveal, PageDown, timeline; against one host and its renderer. */
async function measureInBrowser(host: HostProcess, big: Imported, opts: TraceOptions): Promise<BrowserRun> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${host.link.origin}/#token=${host.link.token}`);
    await page.getByTestId('agent-list').waitFor({ state: 'visible', timeout: 60_000 });
    // The tree view for the open figures, whatever a previous run left in localStorage.
    await page.evaluate(`localStorage.setItem('paddock.trace', JSON.stringify({ view: 'tree', density: 'comfortable' }))`);
    await page.reload();
    await page.getByTestId('agent-list').waitFor({ state: 'visible', timeout: 60_000 });
    await selectAgent(page, big.session.agentId);
    const open: { first: number; full: number | null }[] = [];
    for (let i = 0; i < opts.samples + 1; i++) {
      const r = await measureOpen(page, big, true);
      if (i > 0) open.push(r);
    }
    const reveal = await searchReveal(page, opts.samples);
    // Back to the top of the tree (the search scrolled to its hits) for the paging figure.
    const firstRow = page.locator(`[data-testid="log-row"][data-node-id="${big.gen.landmarks.firstNode.id}"]`);
    await page.getByTestId('log-tree-scroll').evaluate((el) => el.scrollTo(0, 0));
    await firstRow.waitFor({ state: 'visible', timeout: 60_000 });
    // PageDown held from the first row.
    await firstRow.click();
    const paging = (await page.evaluate(holdPageDownScript(opts.holdMs))) as BrowserRun['paging'];
    // Timeline: first paint after the click, then zoom/pan frames.
    await page.evaluate(armTimelineScript());
    await page.getByTestId('view-timeline').click();
    const timeline = (await page.evaluate('window.__benchTimeline')) as BrowserRun['timeline'];
    const panZoom = (await page.evaluate(panZoomScript(opts.holdMs))) as BrowserRun['panZoom'];
    const paintMs = Number(await page.getByTestId('timeline-canvas').getAttribute('data-paint-ms'));
    return { open, reveal, paging, timeline, panZoom, paintMs, chromium: browser.version() };
  } finally {
    await browser.close();
  }
}

/** Medians of one renderer's runs, for the side-by-side table. */
function medians(runs: BrowserRun[]) {
  const m = (xs: number[]) => summarize(xs).median;
  const p95 = (xs: number[]) => summarize(xs).p95;
  return {
    searchReveal: m(runs.flatMap((r) => r.reveal)),
    openFirst: m(runs.flatMap((r) => r.open.map((o) => o.first))),
    openFull: m(runs.flatMap((r) => r.open.map((o) => o.full ?? NaN))),
    pageDownP95: p95(runs.flatMap((r) => r.paging.deltas)),
    timelineFirstPaint: m(runs.map((r) => r.timeline.ms)),
    timelinePanZoomP95: p95(runs.flatMap((r) => r.panZoom.deltas)),
  };
}

/**
 * Rounds against the same database, alternating the renderer under test with a baseline build
 * (BENCH_TRACE_BASELINE: a directory holding another `out/renderer`), each in a fresh host and
 * browser: both see the same load, so their ratio is the figure to trust on a busy machine.
 */
async function sideBySide(script: string, dataDir: string, branchDir: string, baseDir: string, big: Imported, opts: TraceOptions, rounds: number) {
  const runs: Record<'branch' | 'baseline', BrowserRun[]> = { branch: [], baseline: [] };
  for (let round = 0; round < rounds; round++) {
    const order: ('branch' | 'baseline')[] = round % 2 === 0 ? ['baseline', 'branch'] : ['branch', 'baseline'];
    for (const which of order) {
      const host = await HostProcess.start(script, dataDir, { PADDOCK_RENDERER_DIR: which === 'branch' ? branchDir : baseDir });
      try {
        runs[which].push(await measureInBrowser(host, big, opts));
      } finally {
        await host.stop();
      }
    }
  }
  const branch = medians(runs.branch);
  const baseline = medians(runs.baseline);
  const ratios = Object.fromEntries(Object.keys(branch).map((k) => [k, Number((branch[k as keyof typeof branch] / baseline[k as keyof typeof branch]).toFixed(3))]));
  const raw = (list: BrowserRun[]) => list.map((r) => ({ open: r.open, reveal: r.reveal, timelineMs: r.timeline.ms, pageDownP95: summarize(r.paging.deltas).p95 }));
  return { runs, summary: { rounds, baselineDir: baseDir, branch, baseline, ratios, raw: { branch: raw(runs.branch), baseline: raw(runs.baseline) } } };
}

export async function runTraceViews(opts: TraceOptions, script: string, root: string): Promise<BenchOutput> {
  const dataDir = tempDir();
  const branchDir = path.join(root, 'out', 'renderer');
  const baseDir = process.env.BENCH_TRACE_BASELINE;
  let host: HostProcess | null = await HostProcess.start(script, dataDir, { PADDOCK_RENDERER_DIR: branchDir });
  try {
    const api = await ContractClient.connect(host.link);
    let big: Imported;
    let search: Awaited<ReturnType<typeof searchSideBySide>>;
    try {
      big = await importSession(api, opts.nodes, 100, 'Bench trace');
      search = await searchSideBySide(api, path.join(dataDir, 'paddock.db'), big.session.id, Math.max(5, opts.samples * 2));
    } finally {
      api.close();
    }
    if (!baseDir) {
      const run = await measureInBrowser(host, big, opts);
      return { name: 'trace', figures: traceFigures(opts, search, run), context: { chromium: run.chromium, viewport: '1440×900, headless, --disable-gpu', importMs: big.importMs, open: run.open } };
    }
    await host.stop();
    host = null;
    const rounds = Number(process.env.BENCH_TRACE_ROUNDS ?? 2);
    const { runs, summary } = await sideBySide(script, dataDir, branchDir, baseDir, big, opts, rounds);
    const merged = mergeRuns(runs.branch);
    return { name: 'trace', figures: traceFigures(opts, search, merged), context: { chromium: merged.chromium, viewport: '1440×900, headless, --disable-gpu', importMs: big.importMs, sideBySide: summary, open: merged.open } };
  } finally {
    await host?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function mergeRuns(runs: BrowserRun[]): BrowserRun {
  return {
    open: runs.flatMap((r) => r.open),
    reveal: runs.flatMap((r) => r.reveal),
    paging: { deltas: runs.flatMap((r) => r.paging.deltas), index: runs.at(-1)?.paging.index ?? null },
    timeline: { ms: summarize(runs.map((r) => r.timeline.ms)).median, paintMs: summarize(runs.map((r) => r.timeline.paintMs)).median },
    panZoom: { deltas: runs.flatMap((r) => r.panZoom.deltas) },
    paintMs: runs.at(-1)?.paintMs ?? NaN,
    timelineSamples: runs.map((r) => r.timeline.ms),
    chromium: runs[0]?.chromium ?? '',
  };
}

function traceFigures(opts: TraceOptions, search: Awaited<ReturnType<typeof searchSideBySide>>, run: BrowserRun): Figure[] {
  const { open, reveal, paging, timeline, panZoom, paintMs } = run;
  const G = '11 Trace views';
  const n = opts.nodes.toLocaleString('en');
  const ftsMedian = summarize(search.fts).median;
  const ratio = (xs: number[]) => `${(summarize(xs).median / ftsMedian).toFixed(1)}× the plain FTS query (median ${ftsMedian.toFixed(1)} ms: the session's matching rowids, same database)`;
  const figures: Figure[] = [
    figure({ id: 'trace.search_first_page', group: G, label: `Search in a ${n}-node session, common word: first 50 hits in tree order (API)`, unit: 'ms', target: { op: '<=', value: 100 },
      meaning: 'logs.searchPage over the WebSocket, as the app answers "next match".', note: ratio(search.page) }, search.page),
    figure({ id: 'trace.search_view_call', group: G, label: `Search in a ${n}-node session, common word: the view's call (up to 1,000 hits, API)`, unit: 'ms',
      meaning: `logs.search in tree order, what Enter in the session's search box asks for (${search.hits} hits).`, note: ratio(search.full) }, search.full),
    figure({ id: 'trace.search_reveal', group: G, label: `Search in a ${n}-node session: Enter → first hit on screen`, unit: 'ms', target: { op: '<=', value: 200 },
      meaning: 'From the Enter keydown in the search box to the first hit\'s row painted in view, marked.' }, reveal),
    figure({ id: 'trace.open_first_screen', group: G, label: `${n}-node session: click → first screen painted`, unit: 'ms', target: { op: '<=', value: 150 },
      meaning: 'The first screen of a huge session after a click.' }, open.map((r) => r.first)),
    figure({ id: 'trace.open_full', group: G, label: `${n}-node session: click → every node loaded`, unit: 'ms', target: { op: '<=', value: 500 },
      meaning: 'When every node of the huge session is loaded and reachable.' }, open.map((r) => r.full ?? NaN)),
    frames('trace.pagedown_p95', `PageDown held (30 ms repeat) through ${n} nodes: frame time`, paging.deltas, `Keyboard paging stays smooth; reached row ${paging.index ?? '?'}.`),
    figure({ id: 'trace.timeline_first_paint', group: G, label: `Timeline of ${n} nodes: click → first paint`, unit: 'ms', target: { op: '<=', value: 150 },
      meaning: 'From the click on "Timeline" to the waterfall painted beside the tree.', note: `the canvas paint itself took ${timeline.paintMs.toFixed(1)} ms` }, run.timelineSamples ?? [timeline.ms]),
    frames('trace.timeline_panzoom_p95', `Timeline of ${n} nodes: zoom/pan every frame`, panZoom.deltas, `Zooming and panning stay smooth; last canvas paint ${paintMs.toFixed(1)} ms.`),
  ];
  return figures;
}
