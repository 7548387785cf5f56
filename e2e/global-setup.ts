// Runs once before the suite: makes sure the app is built (reusing what `npm run build` made)
// and says, in one line, when the Electron target cannot run on this machine.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { electronSkipReason } from './support/electron-binary';
import { paths, repoRoot } from './support/paths';

function selectedProjects(config: FullConfig): string[] {
  // Playwright hands globalSetup every project; `--project` on the command line narrows them.
  const argv = process.argv;
  const chosen: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--project' && argv[i + 1]) chosen.push(argv[++i]!);
    else if (arg.startsWith('--project=')) chosen.push(arg.slice('--project='.length));
  }
  const all = config.projects.map((p) => p.name);
  return chosen.length === 0 ? all : all.filter((name) => chosen.some((c) => c === name || (c.includes('*') && new RegExp(`^${c.replace(/\*/g, '.*')}$`).test(name))));
}

function npmRun(script: string): void {
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', script], { cwd: repoRoot, stdio: 'inherit' });
}

export default function globalSetup(config: FullConfig): void {
  const projects = selectedProjects(config);

  if (projects.includes('browser-host') && (!existsSync(paths.cliBundle) || !existsSync(paths.rendererIndex))) {
    console.log('[e2e] no build found (dist/cli.mjs, out/renderer): running npm run build');
    npmRun('build');
  }

  if (projects.includes('electron')) {
    const reason = electronSkipReason();
    if (reason) {
      console.log(`[e2e] Electron target skipped: ${reason}`);
    } else if (!existsSync(paths.electronMain)) {
      console.log('[e2e] no Electron build found (out/main): running npm run build:electron');
      npmRun('build:electron');
    }
  }
}
