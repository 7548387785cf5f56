// Benchmarks 3 (session open) and 4 (frame times), in Chromium against the browser host.
//
// The host is bench/host.ts (the real core + browser host, plus a stdin control channel that
// can stream agent events into the host's own LogWriter). Sessions of 2,000 and 100,000 nodes
// (e2e's generator: turns, thoughts, tool calls, sub-agents down to depth 8) are imported
// through the real API (sessions.import over the WebSocket) first.
//
// Session open: with an empty session of the same agent open, a real mouse click on the
// session in the list; the page times from the click event to (a) the session's first rows
// painted and (b) "N entries" with nothing left loading, painted (every node reachable).
// Frame times: rAF deltas while (a) the 100,000-node log is scrolled from top to bottom in 10 s
// (every frame shows new rows) and (b) the 2,000-node session receives 200 events/s (97 %
// deltas) through the host's LogWriter while the reader scrolls up and down at 60 px a frame.

import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { generateSession, type GeneratedSession } from '../e2e/support/generate-session.js';
import type { SessionWithConfig } from '../src/shared/domain.js';
import { tempDir } from './lib/db.js';
import { figure, type BenchOutput, type Figure } from './lib/figures.js';
import { HostProcess } from './lib/hostProcess.js';
import { armOpenScript, scrollBackAndForthScript, scrollTopToBottomScript } from './lib/pageScripts.js';
import { summarize } from './lib/stats.js';
import { ContractClient } from './lib/wsClient.js';

export interface BrowserOptions {
  smallNodes: number;
  bigNodes: number;
  smallSamples: number;
  bigSamples: number;
  scrollMs: number;
  streamRate: number;
  streamScrollMs: number;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface Imported {
  gen: GeneratedSession;
  session: SessionWithConfig;
  parking: SessionWithConfig;
  importMs: number;
  nodes: number;
}

export async function importSession(api: ContractClient, nodes: number, seed: number, name: string): Promise<Imported> {
  const gen = generateSession({ nodes, maxDepth: 8, seed, chunks: false, validate: false, sessionName: name, agentName: `${name} agent` });
  const t0 = performance.now();
  const session = await api.call<SessionWithConfig>('sessions.import', { data: gen.data });
  const importMs = performance.now() - t0;
  // An empty session of the same agent: what is open before each measured click.
  const parking = await api.call<SessionWithConfig>('sessions.create', { agentId: session.agentId, name: `${name} (parking)` });
  return { gen, session, parking, importMs, nodes };
}

export const entriesText = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'entry' : 'entries'}`;

export async function clickSession(page: Page, sessionId: string): Promise<void> {
  const button = page.locator(`[data-testid="session-item"][data-session-id="${sessionId}"] button`).first();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  const box = await button.boundingBox();
  if (!box) throw new Error(`session ${sessionId} is not on screen`);
  await page.mouse.click(box.x + Math.min(40, box.width / 2), box.y + box.height / 2);
}

export async function selectAgent(page: Page, agentId: string): Promise<void> {
  const item = page.locator(`[data-testid="agent-item"][data-agent-id="${agentId}"]`);
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  await item.locator('button').first().click();
  await page.getByTestId('agent-header').waitFor({ state: 'visible', timeout: 30_000 });
}

/** Opens the parking session, then clicks the measured one; returns page-side times (ms). */
export async function measureOpen(page: Page, s: Imported, waitFull: boolean): Promise<{ first: number; full: number | null }> {
  await clickSession(page, s.parking.id);
  await page.getByTestId('log-empty').waitFor({ state: 'visible', timeout: 60_000 });
  await page.evaluate(armOpenScript(s.gen.landmarks.firstNode.id, entriesText(s.nodes), waitFull));
  await clickSession(page, s.session.id);
  return (await page.evaluate('window.__benchOpen', undefined)) as { first: number; full: number | null };
}

function frameFigures(id: string, label: string, deltas: number[], note: string, meaningFps: string, meaningP95: string): Figure[] {
  const fps = deltas.map((d) => 1000 / d);
  const s = summarize(deltas);
  return [
    figure({ id: `${id}.fps`, group: '4 Frames', label: `${label}: median fps`, unit: 'fps', target: { op: '>=', value: 58 }, meaning: meaningFps,
      note: `${note}; median frame ${s.median.toFixed(1)} ms` }, fps),
    figure({ id: `${id}.p95_frame`, group: '4 Frames', label: `${label}: p95 frame time`, unit: 'ms', target: { op: '<=', value: 20 }, judgedOn: 'p95', meaning: meaningP95,
      note: `${deltas.filter((d) => d > 20).length} of ${deltas.length} frames over 20 ms, worst ${s.max.toFixed(0)} ms` }, deltas, { percentiles: true }),
  ];
}

export async function runBrowser(opts: BrowserOptions, script: string, root: string): Promise<BenchOutput> {
  const dataDir = tempDir();
  const host = await HostProcess.start(script, dataDir, { PADDOCK_RENDERER_DIR: path.join(root, 'out', 'renderer') });
  let api: ContractClient | null = null;
  let browser: Browser | null = null;
  try {
    api = await ContractClient.connect(host.link);
    const small = await importSession(api, opts.smallNodes, 2, 'Bench small');
    const big = await importSession(api, opts.bigNodes, 100, 'Bench big');

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${host.link.origin}/#token=${host.link.token}`);
    await page.getByTestId('agent-list').waitFor({ state: 'visible', timeout: 60_000 });

    // 3. Session open.
    await selectAgent(page, small.session.agentId);
    const smallOpen: { first: number; full: number | null }[] = [];
    for (let i = 0; i < opts.smallSamples + 1; i++) {
      const r = await measureOpen(page, small, true);
      if (i > 0) smallOpen.push(r); // the first open warms the page's code paths, as any second use would
    }
    await selectAgent(page, big.session.agentId);
    const bigOpen: { first: number; full: number | null }[] = [];
    for (let i = 0; i < opts.bigSamples + 1; i++) {
      // The last sample also waits for the whole tree (needed for the scroll test anyway).
      const r = await measureOpen(page, big, i === opts.bigSamples);
      if (i > 0) bigOpen.push(r);
    }

    // 4a. Scroll the whole 100k log.
    const scroll = (await page.evaluate(scrollTopToBottomScript(opts.scrollMs))) as { deltas: number[]; scrollHeight: number; rowsInDom?: number; notAtEnd?: boolean };

    // 4b. Streaming into the small session while scrolling it.
    await selectAgent(page, small.session.agentId);
    await clickSession(page, small.session.id);
    await page.getByTestId('log-count').filter({ hasText: entriesText(small.nodes) }).waitFor({ timeout: 60_000 });
    await host.send('stream-start', { sessionId: small.session.id, rate: opts.streamRate, seed: 4 });
    await page.waitForTimeout(1_000); // the stream is flowing before the reader starts scrolling
    const streaming = (await page.evaluate(scrollBackAndForthScript(opts.streamScrollMs, 60))) as { deltas: number[]; rowsBefore: string; rowsAfter: string };
    const streamed = await host.send('stream-stop');

    const firstBig = bigOpen.map((r) => r.first);
    const fullSmall = smallOpen.map((r) => r.full ?? NaN);
    const fullBig = bigOpen.map((r) => r.full).filter((x): x is number => x !== null);
    const G3 = '3 Session open';
    const figures: Figure[] = [
      figure({ id: 'open.100k_first_screen', group: G3, label: `${opts.bigNodes.toLocaleString('en')}-node session: click → first screen painted`, unit: 'ms', target: { op: '<=', value: 150 },
        meaning: 'How long a user waits, after clicking a huge session, before its log is on screen and readable.',
        note: `seed 003's restore bar is 500 ms (${(500 / summarize(firstBig).median).toFixed(1)}× under it); the rest loads in the background` }, firstBig),
      figure({ id: 'open.2k_full', group: G3, label: `${opts.smallNodes.toLocaleString('en')}-node session: click → fully restored`, unit: 'ms', target: { op: '<=', value: 50 },
        meaning: 'How long until every node of an ordinary session is loaded and reachable (search, scroll to the end, collapse) after a click.',
        note: `seed 003's bar is 500 ms (${(500 / summarize(fullSmall).median).toFixed(1)}× under it); import through the API took ${(small.importMs / 1000).toFixed(1)} s` }, fullSmall),
      figure({ id: 'open.2k_first_screen', group: G3, label: `${opts.smallNodes.toLocaleString('en')}-node session: click → first screen painted (context)`, unit: 'ms',
        meaning: 'The same first-screen time for an ordinary session.' }, smallOpen.map((r) => r.first)),
      figure({ id: 'open.100k_full', group: G3, label: `${opts.bigNodes.toLocaleString('en')}-node session: click → fully restored (context)`, unit: 'ms',
        meaning: 'When every node of the huge session is loaded; the user can read and scroll long before.',
        note: `import through the API took ${(big.importMs / 1000).toFixed(1)} s` }, fullBig),
      ...frameFigures('frames.scroll_100k', `scroll ${opts.bigNodes.toLocaleString('en')} nodes top → bottom`, scroll.deltas,
        `${(opts.scrollMs / 1000).toFixed(0)} s from the first to the last node (${Math.round(scroll.scrollHeight / 1000).toLocaleString('en')}k px: every frame shows new rows)${scroll.notAtEnd ? '; did NOT reach the end' : ''}`,
        'Whether flinging through a 100,000-node log stays smooth (60 fps is every frame on time).',
        'How long the slowest frames take while scrolling: over 20 ms the user sees a stutter.'),
      ...frameFigures('frames.streaming_scroll', `${opts.streamRate} events/s streaming in while scrolling`, streaming.deltas,
        `${Number(streamed.events).toLocaleString('en')} events through the host's LogWriter; visible rows ${streaming.rowsBefore} → ${streaming.rowsAfter}`,
        'Whether reading a session while its agent streams into it stays smooth.',
        'The slowest frames while the live session updates under the reader.'),
    ];
    return {
      name: 'browser',
      figures,
      context: {
        chromium: browser.version(),
        viewport: '1440×900, headless, software rendering (--disable-gpu)',
        importMs: { small: small.importMs, big: big.importMs },
        open: { small: smallOpen, big: bigOpen },
        scroll: { frames: scroll.deltas.length, scrollHeight: scroll.scrollHeight, rowsInDom: scroll.rowsInDom },
        streaming: { frames: streaming.deltas.length, rowsBefore: streaming.rowsBefore, rowsAfter: streaming.rowsAfter, events: streamed.events },
      },
    };
  } finally {
    await browser?.close();
    api?.close();
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
