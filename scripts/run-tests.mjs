#!/usr/bin/env node
// `npm test`: every stage in order, each announced with its number and timed, so a CI log shows
// where the time goes and which stage failed. Stops at the first failing stage.
import { spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const stages = [
  ['generated migrations are current', 'node', ['scripts/gen-migrations.mjs', '--check']],
  ['lint (ESLint, then the layer rules in .dependency-cruiser.cjs)', npm, ['run', '--silent', 'lint']],
  ['typecheck', npm, ['run', '--silent', 'typecheck']],
  ['unit and integration tests', npm, ['run', '--silent', 'test:unit']],
  ['build', npm, ['run', '--silent', 'build']],
  ['packaged layout (electron-builder dir target, stand-in Electron)', npm, ['run', '--silent', 'test:package']],
  ['end-to-end tests (Playwright)', npm, ['run', '--silent', 'test:e2e']],
];

const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;
const started = Date.now();
const took = [];
for (const [i, [name, cmd, args]] of stages.entries()) {
  const at = Date.now();
  console.log(`\n[test ${i + 1}/${stages.length}] ${name} …`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const ms = Date.now() - at;
  took.push(`${name}: ${seconds(ms)}`);
  if (r.status !== 0) {
    console.error(`\n[test ${i + 1}/${stages.length}] ${name} FAILED after ${seconds(ms)} (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  console.log(`[test ${i + 1}/${stages.length}] ${name}: ok in ${seconds(ms)}`);
}
console.log(`\n[test] all ${stages.length} stages passed in ${seconds(Date.now() - started)}\n  ${took.join('\n  ')}`);
