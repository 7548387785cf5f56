// Proves the process-boundary lint rules bite: each forbidden import is linted as if it sat in
// the layer it must not appear in, and must produce a no-restricted-imports error.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('boundary lint rules', () => {
  const cases: Array<[string, string, string]> = [
    ['electron in plain main code', 'src/main/services/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['node:fs in the renderer', 'src/renderer/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['fs in the renderer', 'src/renderer/x.ts', "import fs from 'fs';\nexport const a = fs;\n"],
    ['main code in the renderer', 'src/renderer/x.ts', "import { a } from '../main/db/connection';\nexport const b = a;\n"],
    ['electron in the renderer', 'src/renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"],
    ['node:path in shared', 'src/shared/x.ts', "import path from 'node:path';\nexport const a = path;\n"],
    ['main code in shared', 'src/shared/x.ts', "import { a } from '../main/db/connection';\nexport const b = a;\n"],
    ['renderer code in shared', 'src/shared/x.ts', "import { a } from '../renderer/App';\nexport const b = a;\n"],
  ];
  for (const [name, filePath, code] of cases) {
    it(`rejects ${name}`, async () => {
      expect(await ruleIds(code, filePath)).toContain('no-restricted-imports');
    });
  }

  it('rejects DOM globals in shared', async () => {
    expect(await ruleIds('export const a = window.location;\n', 'src/shared/x.ts')).toContain('no-restricted-globals');
  });

  it('allows electron in the Electron adapter and the preload', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await ruleIds(code, 'src/main/electron/x.ts')).not.toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src/preload/x.ts')).not.toContain('no-restricted-imports');
  });

  it('allows node built-ins in main', async () => {
    expect(await ruleIds("import fs from 'node:fs';\nexport const a = fs;\n", 'src/main/x.ts')).not.toContain('no-restricted-imports');
  });
});
