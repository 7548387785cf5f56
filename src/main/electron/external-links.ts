// Links the UI opens in the system browser (model output and imported agents can hold links):
// https only (security.ts), and a host not opened before needs the person's yes first. The hosts
// they agreed to are kept in <userData>/link-hosts.json so they are asked once per host.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isSafeExternalUrl } from './security';

/** Enough for anyone's browsing from Paddock; the oldest approvals go first past it. */
export const MAX_KNOWN_HOSTS = 500;

const hostsSchema = z.object({ hosts: z.array(z.string().min(1).max(253)).max(MAX_KNOWN_HOSTS) });

export interface LinkOpenerDeps {
  /** Where approved hosts are remembered. */
  file: string;
  /** Asks the person; true means open it (and remember the host). */
  confirm: (url: string, host: string) => Promise<boolean>;
  open: (url: string) => Promise<void>;
  logger: { warn?: (message: string, error?: unknown) => void };
}

function loadHosts(file: string): string[] {
  try {
    const parsed = hostsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.hosts : [];
  } catch {
    return [];
  }
}

function saveHosts(file: string, hosts: string[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify({ hosts }));
  renameSync(tmp, file);
}

/** Returns the opener: resolves true when the link was opened, false when refused or unsafe. */
export function createLinkOpener(deps: LinkOpenerDeps): (url: string) => Promise<boolean> {
  let hosts: string[] | null = null;
  return async (url) => {
    if (!isSafeExternalUrl(url)) return false;
    const host = new URL(url).hostname.toLowerCase();
    hosts ??= loadHosts(deps.file);
    if (!hosts.includes(host)) {
      if (!(await deps.confirm(url, host))) return false;
      hosts = [...hosts.filter((h) => h !== host), host].slice(-MAX_KNOWN_HOSTS);
      try {
        saveHosts(deps.file, hosts);
      } catch (error) {
        // Still opened: the cost of a failed save is only being asked again next time.
        deps.logger.warn?.('could not remember the link host', error);
      }
    }
    await deps.open(url);
    return true;
  };
}

/** The question shown before a new host is opened: the full address, so nothing hides in it. */
export function linkQuestion(url: string, host: string): { message: string; detail: string } {
  return {
    message: `Open a link to ${host}?`,
    detail: `Paddock has not opened a link to this site before. It will open in your browser:\n\n${url}`,
  };
}
