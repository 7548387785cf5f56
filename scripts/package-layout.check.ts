// The desktop package as electron-builder lays it out, checked without the Electron binary (it
// cannot be downloaded here): the linux `dir` target is built from the real configuration
// (electron-builder.yml) against a stand-in Electron distribution, then app.asar and
// app.asar.unpacked are checked for what the app needs at run time. Needs `npm run build` first;
// `npm run test:package` (a stage of `npm test`) runs it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractAll, listPackage, statFile } from '@electron/asar';
import { Arch, build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackedPath } from '../src/main/unpacked-path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The size budget: app.asar holds main, preload, renderer and main's production packages. */
export const ASAR_BUDGET_BYTES = 30 * 1024 * 1024;
/** The unpacked side: the worker, the libsql driver and its native bindings (gnu and musl here). */
export const UNPACKED_BUDGET_BYTES = 24 * 1024 * 1024;

let work: string;
let resources: string;
let asarFile: string;
let unpacked: string;
let entries: Set<string>;

function dirSize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirSize(full) : fs.statSync(full).size;
  }
  return total;
}

/** What a bundle imports from packages (`import … from "pkg/sub"`), by its full specifier. */
function packageImports(file: string): string[] {
  const code = fs.readFileSync(file, 'utf8');
  const specs = new Set<string>();
  for (const [, spec] of code.matchAll(/^import\s[^;]*?from\s*"([^".][^"]*)"/gm)) {
    if (!spec!.startsWith('node:') && spec !== 'electron') specs.add(spec!);
  }
  return [...specs];
}

beforeAll(async () => {
  for (const built of ['out/main/index.js', 'out/main/writer-worker.mjs', 'out/preload/index.cjs', 'out/desktop/index.html']) {
    if (!fs.existsSync(path.join(root, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-package-'));
  // A stand-in for Electron's prebuilt distribution: electron-builder copies it and renames the
  // executable; nothing of it runs.
  const electronDist = path.join(work, 'electron-dist');
  fs.mkdirSync(path.join(electronDist, 'resources'), { recursive: true });
  fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  fs.writeFileSync(path.join(electronDist, 'version'), pkg.devDependencies.electron!);
  const arch = process.arch === 'arm64' ? Arch.arm64 : Arch.x64;
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir', arch),
    publish: 'never',
    config: { electronDist, directories: { output: path.join(work, 'release') } } as never,
  });
  resources = path.join(work, 'release', arch === Arch.arm64 ? 'linux-arm64-unpacked' : 'linux-unpacked', 'resources');
  asarFile = path.join(resources, 'app.asar');
  unpacked = path.join(resources, 'app.asar.unpacked');
  entries = new Set(listPackage(asarFile, { isPack: false }).map((p) => p.split(path.sep).join('/')));
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the packaged desktop app (electron-builder dir target, stand-in Electron)', () => {
  it('holds the main, preload and desktop renderer entries, and the window icon', () => {
    for (const entry of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/desktop/index.html', '/resources/icons/512x512.png']) {
      expect(entries, entry).toContain(entry);
    }
    // The renderer's assets are those the page names.
    const html = fs.readFileSync(path.join(root, 'out/desktop/index.html'), 'utf8');
    for (const [, asset] of html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)) expect(entries).toContain(`/out/desktop/${asset}`);
    // Only the desktop's strict policy ships: no browser-host build, no WebSocket in connect-src.
    expect([...entries].some((e) => e.startsWith('/out/renderer/'))).toBe(false);
    expect(html).toMatch(/connect-src 'self';/);
    expect(html).not.toContain('ws:');
  });

  it("resolves package.json's main inside the archive, with the version of package.json", () => {
    const packed = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8')) as { main: string; version: string };
    expect(packed.main).toBe(pkg.main);
    expect(packed.version).toBe(pkg.version);
    expect(entries).toContain(`/${path.posix.normalize(packed.main)}`);
    expect(statFile(asarFile, packed.main).unpacked ?? false).toBe(false);
  });

  it('carries the migrations compiled into main, not as files', () => {
    const newest = fs.readdirSync(path.join(root, 'migrations')).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort().at(-1)!;
    const main = fs.readFileSync(path.join(root, 'out/main/index.js'), 'utf8');
    expect(main).toContain(newest);
    expect(statFile(asarFile, 'out/main/index.js')).toMatchObject({ size: fs.statSync(path.join(root, 'out/main/index.js')).size });
    expect([...entries].some((e) => e.startsWith('/migrations/'))).toBe(false);
  });

  it('unpacks the worker entry and the libsql driver where the code looks for them', () => {
    // Where the running app computes them: from app.asar paths, through unpackedPath.
    const worker = unpackedPath(path.join(asarFile, 'out', 'main', 'writer-worker.mjs'));
    const driver = unpackedPath(path.join(asarFile, 'node_modules', 'libsql', 'index.js'));
    expect(worker).toBe(path.join(unpacked, 'out', 'main', 'writer-worker.mjs'));
    expect(fs.existsSync(worker)).toBe(true);
    expect(fs.existsSync(driver)).toBe(true);
    for (const chunk of fs.readdirSync(path.join(root, 'out/main/chunks'))) expect(fs.existsSync(path.join(unpacked, 'out/main/chunks', chunk))).toBe(true);
    const bindings = fs.readdirSync(path.join(unpacked, 'node_modules/@libsql')).filter((d) => /^(darwin|linux|win32)-/.test(d));
    expect(bindings.length).toBeGreaterThan(0);
    for (const binding of bindings) expect(fs.existsSync(path.join(unpacked, 'node_modules/@libsql', binding, 'index.node'))).toBe(true);
  });

  it('starts the worker from that layout under plain Node and writes through it', () => {
    const harness = path.join(work, 'harness.mjs');
    fs.copyFileSync(path.join(root, 'scripts', 'package-layout-harness.mjs'), harness);
    const worker = path.join(unpacked, 'out', 'main', 'writer-worker.mjs');
    const driver = path.join(unpacked, 'node_modules', 'libsql', 'index.js');
    const db = path.join(work, 'packed.db');
    // Run from outside the repository: only the package's own node_modules can resolve.
    const run = spawnSync(process.execPath, [harness, worker, driver, db], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const replies = JSON.parse(run.stdout) as Array<{ ok: boolean; result?: { rows: unknown[] } }>;
    expect(replies.map((r) => r.ok)).toEqual([true, true, true]);
    expect(replies[2]!.result!.rows).toEqual([{ v: 'packed' }]);
  });

  it('carries every package main imports (loaded under plain Node), and no dev dependency', () => {
    const extracted = path.join(work, 'extracted');
    extractAll(asarFile, extracted);
    const specs = [...new Set(['index.js', 'writer-worker.mjs'].flatMap((f) => packageImports(path.join(root, 'out/main', f))))];
    expect(specs).toContain('@libsql/client');
    // Imported for real (with everything they load in turn) from where out/main sits in the package.
    const probe = path.join(extracted, 'out', 'main', 'probe-imports.mjs');
    fs.writeFileSync(
      probe,
      `const found = [];
for (const spec of ${JSON.stringify(specs)}) { await import(spec); found.push(import.meta.resolve(spec)); }
found.push(import.meta.resolve('libsql'));
console.log(JSON.stringify(found));\n`,
    );
    const run = spawnSync(process.execPath, [probe], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    const resolved = JSON.parse(run.stdout) as string[];
    expect(resolved).toHaveLength(specs.length + 1);
    for (const url of resolved) expect(fileURLToPath(url).startsWith(extracted + path.sep), url).toBe(true);
    const shipped = [...entries].filter((e) => /^\/node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(e));
    expect(shipped.length).toBeGreaterThan(10);
    for (const dev of Object.keys(pkg.devDependencies)) {
      expect(shipped, `dev dependency ${dev}`).not.toContain(`/node_modules/${dev}/package.json`);
      expect(fs.existsSync(path.join(unpacked, 'node_modules', dev)), `dev dependency ${dev} unpacked`).toBe(false);
    }
  });

  it(`stays under its size budget (app.asar ≤ ${ASAR_BUDGET_BYTES / 2 ** 20} MB, unpacked ≤ ${UNPACKED_BUDGET_BYTES / 2 ** 20} MB)`, () => {
    const asarSize = fs.statSync(asarFile).size;
    const unpackedSize = dirSize(unpacked);
    console.log(`app.asar ${(asarSize / 2 ** 20).toFixed(1)} MB, app.asar.unpacked ${(unpackedSize / 2 ** 20).toFixed(1)} MB`);
    expect(asarSize).toBeLessThanOrEqual(ASAR_BUDGET_BYTES);
    expect(unpackedSize).toBeLessThanOrEqual(UNPACKED_BUDGET_BYTES);
  });
});
