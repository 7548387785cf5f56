#!/usr/bin/env node
// The log writer side by side with another tree of this repository (issue 10's "bench not worse
// on any figure in side-by-side runs"): the ingest benchmark's stream (bench/ingest.ts: seed 42,
// two sessions, ~30,000 events) through each tree's own LogWriter.open, in one process per run,
// the trees alternating, so both see the same load on this shared machine. Ratios per round
// (this tree ÷ the other) are the figures; absolute times are context.
//
//   node bench/writer-side-by-side.mjs --base /tmp/old-tree [--rounds 6] [--out F]
//
// The other tree must have its own node_modules (npm ci) and bench/lib (paddock.ts, workload.ts,
// db.ts with the same exports as here). Each tree gets the entry below written into its
// bench/.tmp/ and bundled with its own scripts/bundle-node.mjs, so each run uses that tree's
// sources, migrations and worker. Per run: wall time until everything is committed, CPU time of
// the whole process (every thread: the writer's worker included), of the main thread (Linux
// schedstat) and the rest (the worker, GC and libuv helpers), streamed (1–16 events per turn, a 'commit' listener as in the
// ingest benchmark) and in one turn.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const self = path.resolve(here, '..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const base = arg('--base');
if (!base) {
  console.error('usage: node bench/writer-side-by-side.mjs --base <other tree> [--rounds N] [--out F]');
  process.exit(2);
}
const rounds = Number(arg('--rounds', '6'));
const outFile = arg('--out') ? path.resolve(arg('--out')) : null;
const RESULT = '@@WRITER ';

const ENTRY = `
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { locationFromPath } from '../../src/main/db/connection.js';
import { LogWriter } from '../../src/main/logs/index.js';
import { checkpoint, createBenchDb, tempDir } from '../lib/db.js';
import { applier, commitRecorder, feed } from '../lib/paddock.js';
import { generateWorkload } from '../lib/workload.js';

async function settle() {
  for (let i = 0; i < 2; i++) { globalThis.gc?.(); await new Promise((r) => setTimeout(r, 10)); }
}
// On-CPU time of the main thread (Linux schedstat, ns); NaN elsewhere.
function mainCpuMs() {
  try { return Number(fs.readFileSync('/proc/self/task/' + process.pid + '/schedstat', 'utf8').split(' ')[0]) / 1e6; } catch { return NaN; }
}
function pct(xs, p) { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; }

async function once(template, sessionIds, w, streamed) {
  const dir = tempDir();
  const file = path.join(dir, 'paddock.db');
  fs.copyFileSync(template, file);
  const writer = await LogWriter.open(locationFromPath(file));
  const errors = [];
  writer.on('error', (e) => errors.push(e.message));
  const rec = streamed ? commitRecorder(writer) : null;
  await settle();
  const cpu0 = process.cpuUsage();
  const main0 = mainCpuMs();
  const t0 = performance.now();
  let fed = null;
  if (streamed) fed = await feed(writer, sessionIds, w.events, 42);
  else { const { apply } = applier(writer, sessionIds); for (const e of w.events) apply(e); }
  await writer.flush();
  const ms = performance.now() - t0;
  const mainMs = mainCpuMs() - main0;
  const cpu = process.cpuUsage(cpu0);
  rec?.stop();
  const commits = writer.stats().flushes;
  await writer.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (errors.length > 0 || (fed && fed.refused > 0)) throw new Error('writer errors: ' + errors.slice(0, 3).join('; '));
  const out = { ms, cpuMs: (cpu.user + cpu.system) / 1000, mainCpuMs: mainMs, otherCpuMs: (cpu.user + cpu.system) / 1000 - mainMs, commits };
  if (rec && fed) { const lags = rec.lags(fed.acceptedAt); out.lagP50 = pct(lags, 50); out.lagP99 = pct(lags, 99); out.lagMax = pct(lags, 100); }
  return out;
}

const w = generateWorkload({ seed: 42, events: 30_000, sessions: 2 });
const t = await createBenchDb(2, tempDir());
await checkpoint(t.client);
await t.close();
const streamed = await once(t.file, t.ids.sessionIds, w, true);
const oneTurn = await once(t.file, t.ids.sessionIds, w, false);
fs.rmSync(t.dir, { recursive: true, force: true });
process.stdout.write('${RESULT}' + JSON.stringify({ events: w.events.length, streamed, oneTurn }) + '\\n');
`;

async function bundle(tree) {
  const dir = path.join(tree, 'bench', '.tmp');
  fs.mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, 'writer-side-by-side-entry.ts');
  fs.writeFileSync(entry, ENTRY);
  const { bundleForNode } = await import(pathToFileURL(path.join(tree, 'scripts', 'bundle-node.mjs')).href);
  return bundleForNode(entry, path.join(dir, 'writer-side-by-side.mjs'), { logLevel: 'error' });
}

function run(tree, script) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script], { cwd: tree, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || !line) reject(new Error(`${tree}: exit ${code}\n${stdout}`));
      else resolve(JSON.parse(line.slice(RESULT.length)));
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const git = (tree) =>
  new Promise((resolve) => {
    const c = spawn('git', ['-C', tree, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let s = '';
    c.stdout.on('data', (d) => (s += d));
    c.on('close', () => resolve(s.trim()));
  });

const trees = { base: path.resolve(base), this: self };
const scripts = { base: await bundle(trees.base), this: await bundle(trees.this) };
const samples = [];
for (let r = 1; r <= rounds; r++) {
  // Alternate which tree goes first, so neither always runs on a warmer (or busier) machine.
  const order = r % 2 ? ['base', 'this'] : ['this', 'base'];
  const round = { round: r, load: os.loadavg().map((x) => x.toFixed(1)).join(' ') };
  for (const name of order) round[name] = await run(trees[name], scripts[name]);
  samples.push(round);
  const s = (k, f) => (round.this[k][f] / round.base[k][f]).toFixed(2);
  console.error(`round ${r} (load ${round.load}): streamed ${s('streamed', 'ms')}× wall, ${s('streamed', 'cpuMs')}× cpu; one turn ${s('oneTurn', 'ms')}× wall, ${s('oneTurn', 'cpuMs')}× cpu`);
}

const FIGURES = [
  ['streamed', 'ms'], ['streamed', 'cpuMs'], ['streamed', 'mainCpuMs'], ['streamed', 'otherCpuMs'], ['streamed', 'lagP50'], ['streamed', 'lagP99'], ['streamed', 'lagMax'],
  ['oneTurn', 'ms'], ['oneTurn', 'cpuMs'], ['oneTurn', 'mainCpuMs'], ['oneTurn', 'otherCpuMs'],
];
const summary = {};
for (const [k, f] of FIGURES) {
  const ratios = samples.map((s) => s.this[k][f] / s.base[k][f]);
  summary[`${k}.${f}`] = {
    base: median(samples.map((s) => s.base[k][f])),
    this: median(samples.map((s) => s.this[k][f])),
    ratioMedian: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
  };
}
console.log('figure (this ÷ base, per round)        base median   this median   ratio median (min – max)');
for (const [name, v] of Object.entries(summary)) {
  console.log(`${name.padEnd(40)}${v.base.toFixed(1).padStart(11)}${v.this.toFixed(1).padStart(14)}   ${v.ratioMedian.toFixed(2)} (${v.ratioMin.toFixed(2)} – ${v.ratioMax.toFixed(2)})`);
}
if (outFile) {
  const result = {
    date: new Date().toISOString(),
    command: `node bench/writer-side-by-side.mjs --base ${base} --rounds ${rounds}${arg('--out') ? ` --out ${arg('--out')}` : ''}`,
    trees: { base: await git(trees.base), this: await git(trees.this) },
    node: process.version,
    unit: 'ms (wall until everything committed; cpuMs: process CPU, every thread; mainCpuMs: the main thread; otherCpuMs: the rest, mostly the writer worker); lag*: accepted → committed per event',
    summary,
    samples,
  };
  fs.writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
}
