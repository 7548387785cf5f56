// Trace views on a 100,000-node session, in Chromium against the browser host: the session's
// open (first screen, everything loaded), PageDown held in the tree (key repeat every 30 ms),
// the timeline's first paint after clicking "Timeline", and its frames while zooming and
// panning every frame (Ctrl+wheel and Shift+wheel, as a trackpad would send them).

import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { tempDir } from './lib/db.js';
import { figure, type BenchOutput, type Figure } from './lib/figures.js';
import { HostProcess } from './lib/hostProcess.js';
import { summarize } from './lib/stats.js';
import { ContractClient } from './lib/wsClient.js';
import { CHROMIUM_ARGS, importSession, measureOpen, selectAgent } from './browser.js';

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

function frames(id: string, label: string, deltas: number[], meaning: string): Figure {
  return figure({ id, group: '11 Trace views', label, unit: 'ms', target: { op: '<=', value: 20 }, judgedOn: 'p95', meaning,
    note: `${deltas.filter((d) => d > 20).length} of ${deltas.length} frames over 20 ms, worst ${summarize(deltas).max.toFixed(0)} ms` }, deltas, { percentiles: true });
}

export async function runTraceViews(opts: TraceOptions, script: string, root: string): Promise<BenchOutput> {
  const dataDir = tempDir();
  const host = await HostProcess.start(script, dataDir, { PADDOCK_RENDERER_DIR: path.join(root, 'out', 'renderer') });
  let api: ContractClient | null = null;
  let browser: Browser | null = null;
  try {
    api = await ContractClient.connect(host.link);
    const big = await importSession(api, opts.nodes, 100, 'Bench trace');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
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

    // PageDown held from the first row.
    await page.locator(`[data-testid="log-row"][data-node-id="${big.gen.landmarks.firstNode.id}"]`).click();
    const paging = (await page.evaluate(holdPageDownScript(opts.holdMs))) as { deltas: number[]; index: string | null };

    // Timeline: first paint after the click, then zoom/pan frames.
    await page.evaluate(armTimelineScript());
    await page.getByTestId('view-timeline').click();
    const timeline = (await page.evaluate('window.__benchTimeline')) as { ms: number; paintMs: number };
    const panZoom = (await page.evaluate(panZoomScript(opts.holdMs))) as { deltas: number[] };
    const paintMs = Number(await page.getByTestId('timeline-canvas').getAttribute('data-paint-ms'));

    const G = '11 Trace views';
    const n = opts.nodes.toLocaleString('en');
    const figures: Figure[] = [
      figure({ id: 'trace.open_first_screen', group: G, label: `${n}-node session: click → first screen painted`, unit: 'ms', target: { op: '<=', value: 150 },
        meaning: 'The first screen of a huge session after a click.' }, open.map((r) => r.first)),
      figure({ id: 'trace.open_full', group: G, label: `${n}-node session: click → every node loaded`, unit: 'ms', target: { op: '<=', value: 500 },
        meaning: 'When every node of the huge session is loaded and reachable.' }, open.map((r) => r.full ?? NaN)),
      frames('trace.pagedown_p95', `PageDown held (30 ms repeat) through ${n} nodes: frame time`, paging.deltas, `Keyboard paging stays smooth; reached row ${paging.index ?? '?'}.`),
      figure({ id: 'trace.timeline_first_paint', group: G, label: `Timeline of ${n} nodes: click → first paint`, unit: 'ms', target: { op: '<=', value: 150 },
        meaning: 'From the click on "Timeline" to the waterfall painted beside the tree.', note: `the canvas paint itself took ${timeline.paintMs.toFixed(1)} ms` }, [timeline.ms]),
      frames('trace.timeline_panzoom_p95', `Timeline of ${n} nodes: zoom/pan every frame`, panZoom.deltas, `Zooming and panning stay smooth; last canvas paint ${paintMs.toFixed(1)} ms.`),
    ];
    return { name: 'trace', figures, context: { chromium: browser.version(), viewport: '1440×900, headless, --disable-gpu', importMs: big.importMs, open } };
  } finally {
    await browser?.close();
    api?.close();
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
