#!/usr/bin/env node
// `npm run bench` entry: bundles the benchmarks (bench/main.ts and the app sources it imports)
// into bench/.tmp/, runs each benchmark in its own Node process, one after another, prints a
// table, and writes bench/results.json and bench/RESULTS.md.
//
//   node bench/run.mjs                 full run (the app must be built: `npm run bench` does it)
//   node bench/run.mjs --smoke --out F tiny sizes, non-browser benchmarks, results to F only
//   node bench/run.mjs --only ingest,startup   partial run, results to bench/.tmp/results-partial.json
//   node bench/run.mjs --report                RESULTS.md again from results.json (after editing analysis.md)
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '../scripts/bundle-node.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const RESULT_PREFIX = '@@BENCH_RESULT ';
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const outArg = args.indexOf('--out');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : null;
// A partial run (--only) never overwrites the full run's results.json.
const outFile = outArg >= 0 ? path.resolve(args[outArg + 1]) : path.join(here, only ? '.tmp/results-partial.json' : 'results.json');

/** In run order; browser benchmarks need the built app (`npm run build`). */
const BENCHMARKS = [
  { name: 'ingest', timeoutS: 300 },
  { name: 'memory', timeoutS: 120 },
  { name: 'interchange', timeoutS: 1200 },
  { name: 'startup', timeoutS: 120 },
  { name: 'selfcheck', timeoutS: 600 },
  { name: 'browser', timeoutS: 300, browser: true },
  // Side by side with a baseline renderer (BENCH_TRACE_BASELINE) it runs every round twice.
  { name: 'trace', timeoutS: process.env.BENCH_TRACE_BASELINE ? 3600 : 900, browser: true },
];

async function bundle() {
  // The smoke run (inside npm test) bundles to its own file, so it never races a full run.
  const outfile = path.join(here, '.tmp', smoke ? `main-smoke-${process.pid}.mjs` : 'main.mjs');
  return bundleForNode(path.join(here, 'main.ts'), outfile, { sourcemap: 'inline' });
}

function runChild(script, argv, timeoutS) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--expose-gc', script, ...argv], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!smoke) process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function fmt(x) {
  if (x === undefined || x === null || Number.isNaN(x)) return '–';
  if (typeof x !== 'number') return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function targetText(f) {
  if (!f.target) return '';
  const on = f.judgedOn && f.judgedOn !== 'median' ? `${f.judgedOn} ` : '';
  return `${on}${f.target.op === '>=' ? '≥' : '≤'} ${fmt(f.target.value)}`;
}

/** The statistic a target is judged on, when it is not the median (p95 frame time, max lag...). */
function judged(f) {
  if (!f.target || !f.judgedOn || f.judgedOn === 'median') return '';
  const v = f.judgedOn === 'max' ? f.max : f[f.judgedOn];
  return `${f.judgedOn} ${fmt(v)}`;
}

function verdict(f) {
  if (f.pass === undefined) return '';
  return f.pass ? 'met' : 'MISSED';
}

function printTable(figures) {
  const rows = figures.map((f) => [f.group, f.label, f.unit, fmt(f.median), fmt(f.min), fmt(f.max), String(f.n), judged(f), targetText(f), verdict(f)]);
  const head = ['benchmark', 'figure', 'unit', 'median', 'min', 'max', 'n', 'judged', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function mdTable(figures) {
  const lines = ['| # | Figure | Median | Min – max | n | Judged on | Target | |', '|---|---|---|---|---|---|---|---|'];
  for (const f of figures) {
    const unit = f.unit ? ` ${f.unit}` : '';
    lines.push(`| ${f.group} | ${f.label} | **${fmt(f.median)}**${unit} | ${fmt(f.min)} – ${fmt(f.max)} | ${f.n} | ${judged(f) || (f.target ? 'median' : '')} | ${targetText(f)} | ${verdict(f)} |`);
  }
  return lines.join('\n');
}

/** Figures in issue 5's order (1 Ingest … 6 Memory), whatever order the benchmarks ran in. */
function ordered(figures) {
  return [...figures].sort((a, b) => parseInt(a.group, 10) - parseInt(b.group, 10));
}

/** The large-history section (`npm run bench:large`, bench/large/report.ts) survives a rewrite. */
function largeHistorySection() {
  const file = path.join(here, 'large', 'section.md');
  return fs.existsSync(file) ? [fs.readFileSync(file, 'utf8').trim(), ''] : [];
}

function writeResultsMd(results) {
  const figures = ordered(results.benchmarks.flatMap((b) => b.figures));
  const m = results.machine;
  const analysisFile = path.join(here, 'analysis.md');
  const analysis = fs.existsSync(analysisFile) ? fs.readFileSync(analysisFile, 'utf8').trim() : '';
  const missing = figures.filter((f) => f.pass === false);
  const md = [
    '# Benchmark results',
    '',
    `Latest run: ${results.date}, ${results.totalSeconds.toFixed(0)} s in all. Command (from a fresh clone after the README's set-up):`,
    '',
    '```sh',
    'npm run bench',
    '```',
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; SQLite ${m.sqlite} (@libsql/client ${m.libsqlClient}, libsql ${m.libsqlEngine}); ${m.chromium ?? 'no Chromium'}; load average at start ${m.loadAverage?.join(' / ')}.`,
    'This machine is shared and noisy, so the write patterns are measured side by side in one run and compared as ratios; absolute times are context.',
    'Every figure: median of n samples, with the min and max. Raw data: `bench/results.json`.',
    '',
    mdTable(figures),
    '',
    '## What each figure means for a user',
    '',
    ...figures.map((f) => {
      const unit = f.unit ? ` ${f.unit}` : '';
      // Figures with percentiles (the durability window) show p50 / p99 / max, as issue 5 asks.
      const value =
        f.p99 !== undefined
          ? [
              ...(judged(f) && f.judgedOn !== 'max' && f.judgedOn !== 'p99' ? [`${judged(f)}${unit}`] : []),
              `p50 ${fmt(f.p50 ?? f.median)}${unit}, p99 ${fmt(f.p99)}${unit}, max ${fmt(f.max)}${unit}`,
            ].join(', ')
          : judged(f)
            ? `${judged(f)}${unit}, median ${fmt(f.median)}${unit}`
            : `${fmt(f.median)}${unit}`;
      return `- **${f.label}** (${value}${f.pass === false ? ', target missed' : ''}): ${f.meaning}${f.note ? ` _(${f.note})_` : ''}`;
    }),
    '',
    missing.length > 0 ? `## Missed targets (${missing.length}): ${missing.map((f) => f.label).join('; ')}` : '## Every target with a figure was met',
    '',
    analysis,
    '',
    ...largeHistorySection(),
  ].join('\n');
  fs.writeFileSync(path.join(here, 'RESULTS.md'), md);
}

if (args.includes('--report')) {
  // Rewrites RESULTS.md from the last full run's results.json (after editing bench/analysis.md).
  writeResultsMd(JSON.parse(fs.readFileSync(path.join(here, 'results.json'), 'utf8')));
  console.log('wrote bench/RESULTS.md from bench/results.json');
  process.exit(0);
}

const t0 = Date.now();
const script = await bundle();
const machineRun = await runChild(script, ['machine'], 60);
const machine = machineRun.code === 0 ? JSON.parse(machineRun.stdout.trim().split('\n').pop()) : { error: machineRun.stderr };

const results = { date: new Date().toISOString(), smoke, command: smoke ? 'node bench/run.mjs --smoke' : 'npm run bench', machine, benchmarks: [], failures: [] };
const selected = BENCHMARKS.filter((b) => (!only || only.has(b.name)) && !(smoke && b.browser && !only));
const record = (b, r) => {
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (r.code !== 0 || !line) {
    const why = r.signal ? `killed (${r.signal}) after ${r.seconds.toFixed(0)} s` : `exit code ${r.code}`;
    results.failures.push({ name: b.name, why, stderr: r.stderr.slice(-4000) });
    console.error(`[bench] ${b.name} FAILED: ${why}\n${r.stderr.slice(-4000)}`);
    return;
  }
  results.benchmarks.push({ ...JSON.parse(line.slice(RESULT_PREFIX.length)), seconds: r.seconds });
};
if (smoke) {
  // Figures of a smoke run mean nothing, so its benchmarks run side by side to keep npm test short.
  const runs = await Promise.all(selected.map((b) => runChild(script, [b.name, '--smoke'], b.timeoutS)));
  selected.forEach((b, i) => record(b, runs[i]));
} else {
  // One at a time: benchmarks must not compete with each other for the two cores.
  for (const b of selected) {
    console.error(`\n[bench] ${b.name}…`);
    record(b, await runChild(script, [b.name], b.timeoutS));
  }
}
results.totalSeconds = (Date.now() - t0) / 1000;

if (smoke) fs.rmSync(script, { force: true });
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
const figures = ordered(results.benchmarks.flatMap((b) => b.figures));
if (!smoke) {
  console.log('');
  printTable(figures);
  console.log(`\n${figures.filter((f) => f.pass === true).length} targets met, ${figures.filter((f) => f.pass === false).length} missed; ${results.failures.length} benchmark(s) failed; ${results.totalSeconds.toFixed(0)} s.`);
  if (!only) writeResultsMd(results);
  console.log(`wrote ${path.relative(root, outFile)}${only ? '' : ' and bench/RESULTS.md'}`);
}
process.exit(results.failures.length > 0 ? 1 : 0);
