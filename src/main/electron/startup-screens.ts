// What the user sees before the main window: a small progress window while migrations run,
// and a recovery screen when the database refuses to open (tampered history, a database from
// a newer Paddock, a failed migration). Both are static pages with no preload and no IPC.
import type { BrowserWindowConstructorOptions } from 'electron';
import { secureWebPreferences } from './security';

export function splashWindowOptions(): BrowserWindowConstructorOptions {
  const { preload: _preload, ...webPreferences } = secureWebPreferences('');
  return {
    width: 420,
    height: 160,
    frame: false,
    resizable: false,
    show: true,
    title: 'Paddock is starting',
    backgroundColor: '#1b1d21',
    webPreferences: { ...webPreferences, javascript: false },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** A self-contained data: URL page; the text is escaped, nothing in it is executable. */
export function statusPageUrl(title: string, message: string): string {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}"><title>${escapeHtml(title)}</title>
<style>body{margin:0;font:14px/1.5 system-ui,sans-serif;background:#1b1d21;color:#e8e8ea;display:flex;
align-items:center;justify-content:center;height:100vh}main{padding:1.5rem}h1{font-size:16px;margin:0 0 .5rem}</style>
</head><body><main role="status"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

export interface MigrationProblemLike {
  code: string;
  migration?: string | null;
  message: string;
}

/** The recovery dialog's text: what happened, in order of the problems found, and what to do. */
export function recoveryMessage(error: unknown, dataDir: string): { title: string; detail: string } {
  const problems = (error as { problems?: MigrationProblemLike[] } | null)?.problems;
  const lines = Array.isArray(problems)
    ? problems.map((p) => `• ${p.code}${p.migration ? ` (${p.migration})` : ''}: ${p.message}`)
    : [`• ${error instanceof Error ? error.message : String(error)}`];
  const newer = Array.isArray(problems) && problems.some((p) => p.code === 'DB_NEWER_THAN_APP');
  const advice = newer
    ? 'This database was written by a newer version of Paddock. Install that version (or newer) to open it; this version will not change it.'
    : 'Your data was not changed. Backups taken before each upgrade are in the "backups" folder next to the database. You can inspect the database with "npx paddock db status --data-dir <folder>".';
  return {
    title: 'Paddock cannot open its database',
    detail: `${lines.join('\n')}\n\n${advice}\n\nData folder: ${dataDir}`,
  };
}
