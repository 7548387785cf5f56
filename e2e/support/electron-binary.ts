// Finds the Electron binary WITHOUT require('electron'): that package's index.js tries to
// download the binary when it is missing, and this machine has no network for it. We read the
// same path.txt the package writes after a successful install and check the file it names.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

export type ElectronBinary = { available: true; path: string } | { available: false; reason: string };

let cached: ElectronBinary | undefined;

export function findElectronBinary(): ElectronBinary {
  cached ??= detect();
  return cached;
}

function detect(): ElectronBinary {
  const pkgDir = join(repoRoot, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json'))) return { available: false, reason: 'the electron package is not installed' };
  const pathFile = join(pkgDir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (!relative && !override) return { available: false, reason: 'node_modules/electron/path.txt is missing, the binary was never downloaded' };
  relative ||= 'electron';
  const binary = override ? join(override, relative) : join(pkgDir, 'dist', relative);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { available: false, reason: `${binary} does not exist or is not executable` };
  }
  return { available: true, path: binary };
}

export function electronSkipReason(binary: ElectronBinary = findElectronBinary()): string | null {
  return binary.available ? null : `Electron binary not available on this machine (${binary.reason})`;
}
