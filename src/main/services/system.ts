// db.status and app.info: what the UI shows in its status bar and about box.
import os from 'node:os';
import type { AppInfo, DbStatus } from '../../shared/ipc';
import { APP_VERSION } from '../appVersion';
import { isMemoryUrl, localPathOf } from '../db/connection';
import type { MigrationStatus } from '../db/migrator';

export interface SystemServiceDeps {
  url: string;
  migrationStatus: () => MigrationStatus;
  host: AppInfo['host'];
  dataDir: string | null;
}

/** A URL safe to show: no credentials, no query (tokens travel there for some servers). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return url.split('?')[0] ?? url;
  }
}

export class SystemService {
  readonly #deps: SystemServiceDeps;

  constructor(deps: SystemServiceDeps) {
    this.#deps = deps;
  }

  dbStatus(): DbStatus {
    const status = this.#deps.migrationStatus();
    const { url } = this.#deps;
    const file = localPathOf(url);
    return {
      location: isMemoryUrl(url) ? 'memory' : file ? 'file' : 'remote',
      target: file ?? redactUrl(url),
      current: status.current,
      applied: status.applied.length,
      pending: status.pending.length,
      problems: status.problems.map((p) => ({ code: p.code, migration: p.migration, message: p.message, severity: p.severity })),
      drift: status.drift !== null,
    };
  }

  appInfo(): AppInfo {
    const versions: Record<string, string> = {};
    for (const [name, version] of Object.entries(process.versions)) if (typeof version === 'string') versions[name] = version;
    return {
      name: 'Paddock',
      version: APP_VERSION,
      host: this.#deps.host,
      platform: `${os.platform()} ${os.arch()}`,
      dataDir: this.#deps.dataDir,
      versions,
    };
  }
}
