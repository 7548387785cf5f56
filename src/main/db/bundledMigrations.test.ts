// scripts/gen-migrations.mjs: the bundled copy matches migrations/*.sql byte for byte, and
// `--check` catches a stale copy (npm test runs it first).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { BUNDLED_MIGRATIONS } from './bundledMigrations.generated.js';
import { checksumOf } from './migrator/parse.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('gen-migrations', () => {
  test('the committed bundle equals migrations/*.sql', () => {
    const files = fs.readdirSync(path.join(root, 'migrations')).filter((f) => f.endsWith('.sql')).sort();
    expect(BUNDLED_MIGRATIONS.map((m) => m.file)).toEqual(files);
    for (const m of BUNDLED_MIGRATIONS) {
      expect(checksumOf(m.text)).toBe(checksumOf(fs.readFileSync(path.join(root, 'migrations', m.file), 'utf8')));
    }
  });

  test('--check fails naming the stale file, generating fixes it, and texts survive byte for byte', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-gen-'));
    try {
      fs.mkdirSync(path.join(tmp, 'scripts'));
      fs.mkdirSync(path.join(tmp, 'migrations'));
      fs.mkdirSync(path.join(tmp, 'src', 'main', 'db'), { recursive: true });
      fs.copyFileSync(path.join(root, 'scripts', 'gen-migrations.mjs'), path.join(tmp, 'scripts', 'gen-migrations.mjs'));
      const tricky = '\uFEFF-- migrate:up\r\nSELECT \'a`${b}\\\\n\';\r\n-- migrate:down\r\n';
      fs.writeFileSync(path.join(tmp, 'migrations', '0001_a.sql'), tricky);
      fs.writeFileSync(path.join(tmp, 'migrations', 'README.md'), 'not a migration');
      const script = path.join(tmp, 'scripts', 'gen-migrations.mjs');
      const stale = await run(process.execPath, [script, '--check']).catch((e: { code: number; stderr: string }) => e);
      expect((stale as { code: number }).code).toBe(1);
      expect((stale as { stderr: string }).stderr).toContain('src/main/db/bundledMigrations.generated.ts is stale');
      await run(process.execPath, [script]);
      await run(process.execPath, [script, '--check']);
      const out = fs.readFileSync(path.join(tmp, 'src', 'main', 'db', 'bundledMigrations.generated.ts'), 'utf8');
      const literal = out.slice(out.indexOf('['), out.lastIndexOf(']') + 1);
      // The generated array is plain JSON-compatible object literals; evaluate it to compare.
      const parsed = new Function(`return ${literal}`)() as Array<{ file: string; text: string }>;
      expect(parsed).toEqual([{ file: '0001_a.sql', text: tricky }]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
