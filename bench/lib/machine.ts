// Where and with what a run happened, for results.json.

import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { createClient } from '@libsql/client';

function pkgVersion(name: string): string | null {
  try {
    // package.json is not in every package's exports map: find the package folder instead.
    const require = createRequire(path.join(process.cwd(), 'package.json'));
    let dir = path.dirname(require.resolve(name));
    while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
      const up = path.dirname(dir);
      if (up === dir) return null;
      dir = up;
    }
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

export async function machineInfo(): Promise<Record<string, unknown>> {
  const client = createClient({ url: ':memory:' });
  const sqlite = String((await client.execute('SELECT sqlite_version() AS v')).rows[0]?.v ?? '?');
  client.close();
  let chromium: string | null = null;
  try {
    chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    chromium = null;
  }
  return {
    cpu: os.cpus()[0]?.model ?? '?',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sqlite,
    libsqlClient: pkgVersion('@libsql/client'),
    libsqlEngine: pkgVersion('libsql'),
    chromium,
    playwright: pkgVersion('@playwright/test'),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
