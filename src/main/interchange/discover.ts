// "Find histories": lists the transcript files other agent tools keep in their usual folders,
// from directory listings and file sizes only; no file is opened until the user picks it.
//   Claude Code: $CLAUDE_CONFIG_DIR or ~/.claude, then projects/<project>/<session uuid>.jsonl
//   Codex CLI:   $CODEX_HOME or ~/.codex, then sessions/YYYY/MM/DD/rollout-*.jsonl
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportFormat } from './types.js';

export interface HistoryCandidate {
  path: string;
  format: ImportFormat;
  /** The project (Claude Code: its folder, decoded back to a path) or the day (Codex). */
  group: string;
  bytes: number;
  modifiedAt: string;
}

export interface DiscoverOptions {
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** Newest first, at most this many (default 2,000). */
  limit?: number;
}

async function list(dir: string): Promise<fs.Dirent[]> {
  return fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
}

async function candidate(file: string, format: ImportFormat, group: string): Promise<HistoryCandidate | null> {
  const st = await fs.promises.stat(file).catch(() => null);
  return st?.isFile() ? { path: file, format, group, bytes: st.size, modifiedAt: st.mtime.toISOString() } : null;
}

async function claudeCode(root: string): Promise<HistoryCandidate[]> {
  const projects = path.join(root, 'projects');
  const out: (HistoryCandidate | null)[] = [];
  for (const p of await list(projects)) {
    if (!p.isDirectory()) continue;
    // Claude Code names a project's folder after its path with separators turned into '-'.
    const group = p.name.replace(/-/g, '/');
    for (const f of await list(path.join(projects, p.name))) {
      // agent-*.jsonl are sub-agent sidechains, imported with (not apart from) their session.
      if (f.isFile() && f.name.endsWith('.jsonl') && !f.name.startsWith('agent-')) out.push(await candidate(path.join(projects, p.name, f.name), 'claude-code', group));
    }
  }
  return out.filter((c): c is HistoryCandidate => c !== null);
}

async function codex(root: string): Promise<HistoryCandidate[]> {
  const sessions = path.join(root, 'sessions');
  const out: (HistoryCandidate | null)[] = [];
  const dirs = (entries: fs.Dirent[]) => entries.filter((e) => e.isDirectory() && /^\d+$/.test(e.name)).map((e) => e.name);
  for (const y of dirs(await list(sessions))) {
    for (const m of dirs(await list(path.join(sessions, y)))) {
      for (const d of dirs(await list(path.join(sessions, y, m)))) {
        for (const f of await list(path.join(sessions, y, m, d))) {
          if (f.isFile() && /^rollout-.*\.jsonl$/.test(f.name)) out.push(await candidate(path.join(sessions, y, m, d, f.name), 'codex', `${y}-${m}-${d}`));
        }
      }
    }
  }
  return out.filter((c): c is HistoryCandidate => c !== null);
}

export async function discoverHistories(opts: DiscoverOptions = {}): Promise<{ roots: { format: ImportFormat; path: string }[]; candidates: HistoryCandidate[] }> {
  const env = opts.env ?? process.env;
  const home = opts.home ?? os.homedir();
  const roots = [
    { format: 'claude-code' as const, path: env.CLAUDE_CONFIG_DIR || path.join(home, '.claude') },
    { format: 'codex' as const, path: env.CODEX_HOME || path.join(home, '.codex') },
  ];
  const found = [...(await claudeCode(roots[0]!.path)), ...(await codex(roots[1]!.path))];
  found.sort((a, b) => (a.modifiedAt < b.modifiedAt ? 1 : a.modifiedAt > b.modifiedAt ? -1 : a.path.localeCompare(b.path)));
  return { roots, candidates: found.slice(0, opts.limit ?? 2_000) };
}
