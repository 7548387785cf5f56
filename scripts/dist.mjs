#!/usr/bin/env node
// `npm run dist`: builds Paddock, then the desktop packages of this platform (electron-builder.yml:
// Linux AppImage + deb, macOS dmg for x64 and arm64, Windows NSIS) into release/. Extra arguments
// go to electron-builder (e.g. `npm run dist -- --dir` for the unpacked folder only).
// What each platform needs and downloads is in docs/packaging.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const platformFlag = { linux: '--linux', darwin: '--mac', win32: '--win' }[process.platform];
if (!platformFlag) {
  console.error(`npm run dist: no desktop package is defined for ${process.platform}`);
  process.exit(2);
}

function run(cmd, args) {
  console.log(`\n[dist] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(npm, ['run', '--silent', 'build']);

if (process.platform === 'darwin') {
  // Both dmgs are built here, but npm installed only this Mac's libsql binding: add the other
  // (a prebuilt package from the registry, no compiler) so each app finds its own.
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/libsql/package.json'), 'utf8'));
  for (const cpu of ['x64', 'arm64']) {
    if (fs.existsSync(path.join(root, 'node_modules/@libsql', `darwin-${cpu}`))) continue;
    run(npm, ['install', '--no-save', '--force', '--os=darwin', `--cpu=${cpu}`, `@libsql/darwin-${cpu}@${version}`]);
  }
}

run(npx, ['electron-builder', platformFlag, '--publish', 'never', ...process.argv.slice(2)]);
