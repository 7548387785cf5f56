// What retention gives back on the large history, through the app as a user runs it: a copy of
// the cached file is opened by `paddock serve`, a clean-up rule is previewed and run over the
// WebSocket (storage.retentionPreview / storage.retentionRun: small transactions, then
// incremental vacuum), and the file's size is compared before and after. Meanwhile the sessions
// list is asked every 100 ms, so the figures also say whether the clean-up stalls other work.

import fs from 'node:fs';
import path from 'node:path';
import type { RetentionPreview, RetentionResult, RetentionRule, StorageOverview } from '../../src/shared/ipc/channels/storage.js';
import { summarize } from '../lib/stats.js';
import { launch } from './launch.js';

export interface RetentionFigures {
  rule: RetentionRule;
  ruleLabel: string;
  preview: Omit<RetentionPreview, 'examples'>;
  previewMs: number;
  result: RetentionResult;
  runMs: number;
  fileBefore: number;
  fileAfter: number;
  /** sessions.list answered while the clean-up ran: median and worst (ms), and how many calls. */
  listDuring: { median: number; max: number; n: number };
}

/** The rule removes the oldest sixth of the history: sessions last active before 5/6 of its span. */
export async function measureRetention(root: string, cached: string, spanDays: number, workDir: string, log: (s: string) => void): Promise<RetentionFigures> {
  const olderThanDays = Math.round((spanDays * 5) / 6);
  const copy = path.join(workDir, 'retention.db');
  const t0 = performance.now();
  fs.copyFileSync(cached, copy);
  log(`[bench:large] retention: copied the history in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const host = await launch(root, copy);
  try {
    const rule: RetentionRule = { state: 'ended', olderThanDays };
    let t = performance.now();
    const { examples: _examples, ...preview } = await host.client.call<RetentionPreview>('storage.retentionPreview', rule);
    const previewMs = performance.now() - t;
    const before = await host.client.call<StorageOverview>('storage.overview', {});
    const listTimes: number[] = [];
    let running = true;
    const probe = (async () => {
      while (running) {
        const s = performance.now();
        await host.client.call('sessions.list', {});
        listTimes.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    t = performance.now();
    const result = await host.client.call<RetentionResult>('storage.retentionRun', rule);
    const runMs = performance.now() - t;
    running = false;
    await probe;
    const after = await host.client.call<StorageOverview>('storage.overview', {});
    const during = summarize(listTimes);
    return {
      rule,
      ruleLabel: `ended sessions last active over ${olderThanDays} days ago`,
      preview,
      previewMs,
      result,
      runMs,
      fileBefore: before.fileBytes,
      fileAfter: after.fileBytes,
      listDuring: { median: during.median, max: Math.max(...listTimes), n: listTimes.length },
    };
  } finally {
    await host.stop();
    fs.rmSync(copy, { force: true });
    fs.rmSync(`${copy}-wal`, { force: true });
    fs.rmSync(`${copy}-shm`, { force: true });
  }
}
