// Proves the layer rules bite: a small tree laid out like src/ holds one file per forbidden
// arrow, dependency-cruiser runs on it with the repository's own .dependency-cruiser.cjs (as
// `npm run lint` does), and every arrow must be reported under its rule while the allowed ones
// stay quiet. ESLint's remaining code rule (no DOM globals in shared) is checked at the end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(new URL('..', import.meta.url).pathname);

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: unknown[];
}

// [file, its source]: each forbidden file imports exactly one thing it must not.
const forbidden: Array<[rule: string, file: string, code: string]> = [
  ['renderer-only-browser-packages', 'src/renderer/libsql.ts', "import { createClient } from '@libsql/client';\nexport const c = createClient;\n"],
  ['renderer-only-browser-packages', 'src/renderer/libsqlType.ts', "import type { Client } from '@libsql/client';\nexport type C = Client;\n"],
  ['renderer-only-browser-packages', 'src/renderer/ws.ts', "import WebSocket from 'ws';\nexport const w = WebSocket;\n"],
  ['renderer-only-browser-packages', 'src/renderer/lazy.ts', "export const l = () => import('libsql');\n"],
  ['renderer-not-to-node', 'src/renderer/nodeFs.ts', "import fs from 'node:fs';\nexport const f = fs;\n"],
  ['renderer-not-to-node', 'src/renderer/fs.ts', "import fs from 'fs';\nexport const f = fs;\n"],
  ['renderer-not-to-other-layers', 'src/renderer/main.ts', "import { db } from '../main/db/connection';\nexport const d = db;\n"],
  ['electron-only-at-the-edge', 'src/renderer/electron.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n"],
  ['renderer-tests-only-browser-packages', 'src/renderer/x.test.ts', "import { createClient } from '@libsql/client';\nexport const c = createClient;\n"],
  ['renderer-lower-layers-not-to-features', 'src/renderer/state/feature.ts', "import { f } from '../features/x/store';\nexport const x = f;\n"],
  ['renderer-lower-layers-not-to-features', 'src/renderer/components/app.ts', "import { a } from '../app/wiring';\nexport const x = a;\n"],
  ['preload-not-to-main-or-renderer', 'src/preload/main.ts', "import { db } from '../main/db/connection';\nexport const d = db;\n"],
  ['preload-not-to-node', 'src/preload/fs.ts', "import fs from 'node:fs';\nexport const f = fs;\n"],
  ['preload-only-electron', 'src/preload/ws.ts', "import WebSocket from 'ws';\nexport const w = WebSocket;\n"],
  ['shared-only-shared', 'src/shared/main.ts', "import { db } from '../main/db/connection';\nexport const d = db;\n"],
  ['shared-only-shared', 'src/shared/renderer.ts', "import { ok } from '../renderer/ok';\nexport const o = ok;\n"],
  ['shared-not-to-node', 'src/shared/path.ts', "import path from 'node:path';\nexport const p = path;\n"],
  ['shared-only-pure-packages', 'src/shared/react.ts', "import { useState } from 'react';\nexport const u = useState;\n"],
  ['main-not-to-renderer-or-preload', 'src/main/renderer.ts', "import { ok } from '../renderer/ok';\nexport const o = ok;\n"],
  ['electron-only-at-the-edge', 'src/main/services/electron.ts', "import { app } from 'electron';\nexport const a = app;\n"],
  ['data-layer-not-up', 'src/main/db/service.ts', "import { s } from '../services/s';\nexport const x = s;\n"],
  ['data-layer-not-up', 'src/main/repositories/runtime.ts', "import { r } from '../runtime/r';\nexport const x = r;\n"],
  ['data-layer-not-up', 'src/main/logs/host.ts', "import { h } from '../host/h';\nexport const x = h;\n"],
  ['data-layer-not-up', 'src/main/db/core.ts', "import { c } from '../core';\nexport const x = c;\n"],
  ['services-not-to-hosts', 'src/main/services/cli.ts', "import { h } from '../cli/h';\nexport const x = h;\n"],
  ['services-not-to-hosts', 'src/main/services/electronHost.ts', "import { h } from '../electron/h';\nexport const x = h;\n"],
];

// Targets and allowed arrows: none of these may be reported.
const allowed: Array<[file: string, code: string]> = [
  ['src/main/db/connection.ts', 'export const db = 1;\n'],
  ['src/main/services/s.ts', "import { db } from '../db/connection';\nexport const s = db;\n"],
  ['src/main/runtime/r.ts', "import { s } from '../services/s';\nexport const r = s;\n"],
  ['src/main/host/h.ts', "import { s } from '../services/s';\nimport fs from 'node:fs';\nimport WebSocket from 'ws';\nexport const h = [s, fs, WebSocket];\n"],
  ['src/main/cli/h.ts', "import { createClient } from '@libsql/client';\nexport const h = createClient;\n"],
  ['src/main/electron/h.ts', "import { app } from 'electron';\nexport const h = app;\n"],
  ['src/main/core.ts', "import { h } from './host/h';\nexport const c = h;\n"],
  ['src/preload/ok.ts', "import { contextBridge } from 'electron';\nimport { s } from '../shared/ok';\nexport const p = [contextBridge, s];\n"],
  ['src/shared/ok.ts', "import { z } from 'zod';\nexport const s = z;\n"],
  ['src/renderer/ok.ts', "import { create } from 'zustand';\nimport { s } from '../shared/ok';\nexport const ok = [create, s];\n"],
  ['src/renderer/features/x/store.ts', "import { ok } from '../../state/ok';\nexport const f = ok;\n"],
  ['src/renderer/app/wiring.ts', "import { f } from '../features/x/store';\nexport const a = f;\n"],
  ['src/renderer/state/ok.ts', "import { s } from '../../shared/ok';\nexport const ok = s;\n"],
  ['src/renderer/ok.test.ts', "import { it } from 'vitest';\nimport { ok } from './ok';\nexport const t = [it, ok];\n"],
];

const cycle: Array<[file: string, code: string]> = [
  ['src/renderer/state/a.ts', "import { b } from './b';\nexport const a = () => b;\n"],
  ['src/renderer/state/b.ts', "import { a } from './a';\nexport const b = () => a;\n"],
];

let dir = '';
let violations: Violation[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-layers-'));
  for (const [file, code] of [...forbidden.map(([, f, c]) => [f, c] as const), ...allowed, ...cycle]) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), code);
  }
  // Real packages resolve through the repository's node_modules, as they do in src/.
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const f of ['package.json', 'tsconfig.base.json']) fs.copyFileSync(path.join(repo, f), path.join(dir, f));
  const bin = path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const r = spawnSync(process.execPath, [bin, 'src', '--config', path.join(repo, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!r.stdout) throw new Error(`dependency-cruiser printed nothing (exit ${r.status}): ${r.stderr}`);
  violations = JSON.parse(r.stdout).summary.violations;
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('layer rules (dependency-cruiser)', () => {
  for (const [rule, file] of forbidden) {
    it(`${rule} rejects ${file}`, () => {
      expect(violations.filter((v) => v.from === file).map((v) => v.rule.name)).toContain(rule);
    });
  }

  it('rejects an import cycle', () => {
    const names = violations.filter((v) => v.from.startsWith('src/renderer/state/')).map((v) => v.rule.name);
    expect(names).toContain('no-circular');
  });

  it('reports nothing for the allowed arrows', () => {
    const allowedFiles = new Set(allowed.map(([f]) => f));
    expect(violations.filter((v) => allowedFiles.has(v.from))).toEqual([]);
  });
});

describe('code rules (ESLint)', () => {
  it('rejects DOM globals in shared', async () => {
    const eslint = new ESLint({ cwd: repo });
    const [result] = await eslint.lintText('export const a = window.location;\n', { filePath: 'src/shared/x.ts' });
    expect((result?.messages ?? []).map((m) => m.ruleId)).toContain('no-restricted-globals');
  });
});
