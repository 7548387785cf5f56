// `node bench/.tmp/main.mjs profile-browser [bigNodes]`: where the page's main thread spends
// its time while (1) a 2,000-node session opens and (2) a big session is scrolled top to
// bottom. A diagnosis tool for RESULTS.md, not part of `npm run bench`.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, clickSession, entriesText, importSession, measureOpen, selectAgent } from './browser.js';
import { topFunctions, type CpuProfile } from './lib/cpuProfile.js';
import { tempDir } from './lib/db.js';
import { HostProcess } from './lib/hostProcess.js';
import { scrollTopToBottomScript } from './lib/pageScripts.js';
import { ContractClient } from './lib/wsClient.js';

export async function profileBrowser(script: string, root: string, bigNodes: number): Promise<void> {
  const dataDir = tempDir();
  const host = await HostProcess.start(script, dataDir, { PADDOCK_RENDERER_DIR: path.join(root, 'out', 'renderer') });
  const api = await ContractClient.connect(host.link);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const small = await importSession(api, 2_000, 2, 'Profile small');
    const big = await importSession(api, bigNodes, 100, 'Profile big');
    // The host's side of opening the small session, as the renderer asks for it (first page of
    // 200, then pages of 1,000), from Node: round trips including the WebSocket and JSON.
    for (let rep = 0; rep < 3; rep++) {
      const times: string[] = [];
      let t = performance.now();
      let page = await api.call<{ items: unknown[]; nextCursor: string | null }>('logs.page', { sessionId: small.session.id, limit: 200, cursor: null });
      times.push(`page(200) ${(performance.now() - t).toFixed(1)} ms`);
      while (page.nextCursor) {
        t = performance.now();
        page = await api.call('logs.page', { sessionId: small.session.id, limit: 1000, cursor: page.nextCursor });
        times.push(`page(${page.items.length}) ${(performance.now() - t).toFixed(1)} ms`);
      }
      t = performance.now();
      await api.call('logs.count', { sessionId: small.session.id });
      times.push(`count ${(performance.now() - t).toFixed(1)} ms`);
      t = performance.now();
      const tree = await api.call<unknown[]>('logs.tree', { sessionId: small.session.id });
      times.push(`tree(${tree.length}) ${(performance.now() - t).toFixed(1)} ms`);
      console.log(`host round trips for the 2,000-node session: ${times.join(', ')}`);
    }
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${host.link.origin}/#token=${host.link.token}`);
    await page.getByTestId('agent-list').waitFor({ state: 'visible', timeout: 60_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });

    await selectAgent(page, small.session.agentId);
    await measureOpen(page, small, true); // warm
    await cdp.send('Profiler.start');
    const open = await measureOpen(page, small, true);
    const openProfile = (await cdp.send('Profiler.stop')).profile as unknown as CpuProfile;
    console.log(`\n== open 2,000 nodes: first ${open.first.toFixed(0)} ms, full ${open.full?.toFixed(0)} ms (profile includes the parking click)`);
    print(topFunctions(openProfile));

    await selectAgent(page, big.session.agentId);
    await clickSession(page, big.session.id);
    await page.getByTestId('log-count').filter({ hasText: entriesText(bigNodes) }).waitFor({ timeout: 300_000 });
    await cdp.send('Profiler.start');
    const scroll = (await page.evaluate(scrollTopToBottomScript(4_000))) as { deltas: number[] };
    const scrollProfile = (await cdp.send('Profiler.stop')).profile as unknown as CpuProfile;
    const d = [...scroll.deltas].sort((a, b) => a - b);
    console.log(`\n== scroll ${bigNodes.toLocaleString('en')} nodes in 4 s: ${d.length} frames, median ${d[d.length >> 1]?.toFixed(1)} ms, p95 ${d[Math.floor(d.length * 0.95)]?.toFixed(1)} ms`);
    print(topFunctions(scrollProfile));
  } finally {
    await browser.close();
    api.close();
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function print(t: ReturnType<typeof topFunctions>): void {
  console.log(`sampled ${t.totalMs} ms; self time:`);
  for (const [n, v] of t.self.slice(0, 18)) console.log(`  ${String(v).padStart(7)} ms  ${n}`);
  console.log('inclusive:');
  for (const [n, v] of t.inclusive.slice(0, 30)) console.log(`  ${String(v).padStart(7)} ms  ${n}`);
}
