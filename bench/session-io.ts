// Measures session export and import of a big session end to end through the browser host:
// the real core (createPaddockCore) and browser host (startBrowserHost) in this process, a real
// WebSocket client speaking the contract, a generated session (e2e's generator, with streamed
// chunks). Times are wall clock from the request frame leaving the client to the answer frame
// arriving (plus, for export, the client's JSON.parse as a separate figure). It drives the whole
// app, so it lives here beside the benchmarks; src/main/logs/perf/run.mjs runs it by name.
//   node src/main/logs/perf/run.mjs session-io [-- --nodes 100000 --reps 3]
//   node src/main/logs/perf/run.mjs session-io --cpu-prof --cpu-prof-dir=/tmp/prof -- --reps 1

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { generateSession } from '../e2e/support/generate-session.js';
import { WS_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../src/shared/ipc/index.js';
import { createPaddockCore } from '../src/main/core.js';
import { startBrowserHost } from '../src/main/host/browser-host.js';
import type { Dispatch } from '../src/main/ipc/dispatcher.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Answer {
  ms: number;
  /** CPU time of this process (host and client share it) from send to answer. */
  cpu: number;
  text: string;
}

function client(port: number, token: string): Promise<{ send(channel: string, payloadJson: string): Promise<Answer>; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`], {
    origin: `http://127.0.0.1:${port}`,
    maxPayload: 1024 * 1024 * 1024,
  });
  const pending = new Map<number, (text: string) => void>();
  let next = 1;
  ws.on('message', (data) => {
    const text = String(data);
    // The id is in the first few bytes; the body is parsed by the caller (and timed there).
    const m = /"id":(\d+)/.exec(text.slice(0, 200));
    if (m) pending.get(Number(m[1]))?.(text);
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        send: (channel, payloadJson) =>
          new Promise<Answer>((done) => {
            const id = next++;
            const t0 = performance.now();
            const c0 = process.cpuUsage();
            pending.set(id, (text) => {
              const c = process.cpuUsage(c0);
              done({ ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, text });
            });
            ws.send(`{"id":${id},"channel":${JSON.stringify(channel)},"payload":${payloadJson}}`);
          }),
        close: () => ws.close(),
      }),
    );
  });
}

const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const nodes = arg('nodes', 100_000);
  const reps = arg('reps', 3);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-perf-io-'));
  const core = await createPaddockCore({ host: 'browser', dataDir, logger: { error: (m) => console.error(m), warn: (m) => console.warn(m) } });
  // Time spent inside the dispatcher (validation + service), to split the end-to-end figure.
  const inner: number[] = [];
  const dispatch: Dispatch = async (channel, payload, options) => {
    const t0 = performance.now();
    const r = await core.dispatch(channel, payload, options);
    inner.push(performance.now() - t0);
    return r;
  };
  const token = 'perf-token-0123456789abcdef';
  const host = await startBrowserHost({ host: '127.0.0.1', port: 0, token, dispatch, subscribe: core.subscribe, rendererDir: null });
  const api = await client(host.port, token);
  try {
    const gen = generateSession({ nodes, maxDepth: 8, seed: 7, chunks: true, validate: false, sessionName: 'perf', agentName: 'perf agent' });
    const payload = JSON.stringify({ data: gen.data });
    console.log(`session: ${gen.data.nodes.length} nodes, ${gen.data.chunks.length} chunks, ${(payload.length / 1e6).toFixed(1)} MB of JSON`);

    const importMs: number[] = [], importInner: number[] = [], importCpu: number[] = [];
    const exportMs: number[] = [], exportInner: number[] = [], exportParse: number[] = [], exportCpu: number[] = [];
    let sessionId = '';
    let exportedBytes = 0;
    for (let r = 0; r < reps; r++) {
      (globalThis as { gc?: () => void }).gc?.();
      const a = await api.send('sessions.import', payload);
      importInner.push(inner.at(-1)!);
      const env = JSON.parse(a.text) as { result: { ok: boolean; data?: { id: string }; error?: unknown } };
      if (!env.result.ok) throw new Error(`import failed: ${JSON.stringify(env.result.error)}`);
      importMs.push(a.ms);
      importCpu.push(a.cpu);
      sessionId = env.result.data!.id;

      (globalThis as { gc?: () => void }).gc?.();
      const e = await api.send('sessions.export', JSON.stringify({ id: sessionId }));
      exportInner.push(inner.at(-1)!);
      exportMs.push(e.ms);
      exportCpu.push(e.cpu);
      const t0 = performance.now();
      const exported = JSON.parse(e.text) as { result: { ok: boolean; data?: { nodes: unknown[]; chunks: unknown[] }; error?: unknown } };
      exportParse.push(performance.now() - t0);
      if (!exported.result.ok) throw new Error(`export failed: ${JSON.stringify(exported.result.error)}`);
      const d = exported.result.data!;
      if (d.nodes.length !== gen.data.nodes.length || d.chunks.length !== gen.data.chunks.length) {
        throw new Error(`export returned ${d.nodes.length} nodes / ${d.chunks.length} chunks`);
      }
      exportedBytes = e.text.length;
    }
    console.log(`import  end to end ms: ${fmt(importMs)} (median ${median(importMs).toFixed(0)}); CPU ${fmt(importCpu)}; in dispatch: ${fmt(importInner)}`);
    console.log(`export  end to end ms: ${fmt(exportMs)} (median ${median(exportMs).toFixed(0)}); CPU ${fmt(exportCpu)}; in dispatch: ${fmt(exportInner)}; client JSON.parse: ${fmt(exportParse)}; ${(exportedBytes / 1e6).toFixed(1)} MB`);
  } finally {
    api.close();
    await host.close();
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
