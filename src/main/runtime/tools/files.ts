// The built-in file tools. Every file and folder is opened through guarded-fs (open, then check
// what was opened), so a path swapped during a call cannot lead out; walks never follow
// symlinked directories, and symlinked files are checked like any other file when read.
import fs from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { openDir, openWalkedDir, readGuarded, writeGuarded } from './guarded-fs';
import type { PathSandbox } from './sandbox';
import { ToolError, type ToolDef } from './types';

/** Largest file read_file returns in full; longer reads are truncated with a note. */
export const MAX_READ_BYTES = 256 * 1024;
const MAX_LIST_ENTRIES = 1000;
const MAX_FIND_RESULTS = 1000;
const MAX_SEARCH_MATCHES = 200;
const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
/** edit_file reads the whole file: far above what a model edits, well below memory trouble. */
const MAX_EDIT_BYTES = 64 * 1024 * 1024;
/** Directories a walk skips: never what an agent wants to search, and often huge. */
const SKIP_DIRS = new Set(['.git', 'node_modules']);

function throwIfAborted(signal: AbortSignal) {
  if (signal.aborted) throw new ToolError('Stopped.');
}

/** Reads a folder's entries through its checked descriptor; null when it cannot be opened inside. */
async function readDirGuarded(sandbox: PathSandbox, real: string): Promise<{ real: string; entries: Dirent[] } | null> {
  const dir = await openWalkedDir(sandbox, real);
  if (!dir) return null;
  try {
    return { real: dir.real, entries: await fs.readdir(dir.via, { withFileTypes: true }) };
  } catch {
    return null;
  } finally {
    await dir.close();
  }
}

async function* walk(sandbox: PathSandbox, start: string, signal: AbortSignal): AsyncGenerator<string> {
  const listed = await readDirGuarded(sandbox, start);
  if (!listed) return;
  const { real: dir, entries } = listed;
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    throwIfAborted(signal);
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walk(sandbox, full, signal);
    } else if (e.isFile()) {
      yield full;
    } else if (e.isSymbolicLink()) {
      // Follow a file link only when it lands inside; never descend a directory link (loops, escapes).
      try {
        const real = await fs.realpath(full);
        if (sandbox.contains(real) && (await fs.stat(real)).isFile()) yield full;
      } catch {
        // Broken link: skip.
      }
    }
  }
}

const relPath = z.string().min(1).max(4096);

/** The optional directory argument of list/find/search, which defaults to the working directory. */
const dirArg = (what: string) => relPath.optional().describe(`${what} (default: the working directory).`);
const resolveDir = (sandbox: PathSandbox, p: string | undefined) => sandbox.resolve(p ?? '.', { mustExist: true });

/** A walked file's path below `base` with '/' separators: what the glob arguments match. */
const globPath = (base: string, file: string) => path.relative(base, file).split(path.sep).join('/');

/** Adds a result line; once `max` are in, notes the cut and answers true: stop looking. */
function addCapped(out: string[], line: string, max: number, noun: string): boolean {
  out.push(line);
  if (out.length < max) return false;
  out.push(`[stopped after ${max} ${noun}]`);
  return true;
}

const readArgs = z.object({
  path: relPath.describe('File to read, relative to the working directory or absolute inside an accessible path.'),
  offset: z.number().int().min(1).optional().describe('First line to return (1-based).'),
  limit: z.number().int().min(1).max(100_000).optional().describe('How many lines to return.'),
});

export const readFileTool: ToolDef<z.infer<typeof readArgs>> = {
  name: 'read_file',
  description: 'Read a text file. Returns its content (optionally a range of lines).',
  schema: readArgs,
  effect: 'read',
  async run(args, { sandbox }) {
    const { buf, stat: st } = await readGuarded(sandbox, args.path, MAX_READ_BYTES);
    const truncated = st.size > MAX_READ_BYTES;
    let text = buf.toString('utf8');
    if (args.offset !== undefined || args.limit !== undefined) {
      const lines = text.split('\n');
      const start = (args.offset ?? 1) - 1;
      text = lines.slice(start, args.limit === undefined ? undefined : start + args.limit).join('\n');
    }
    return { text: truncated ? `${text}\n[truncated: file is ${st.size} bytes, first ${MAX_READ_BYTES} shown]` : text };
  },
};

const listArgs = z.object({ path: dirArg('Directory to list') });

export const listDirectoryTool: ToolDef<z.infer<typeof listArgs>> = {
  name: 'list_directory',
  description: 'List the entries of a directory. Directories end with "/".',
  schema: listArgs,
  effect: 'read',
  async run(args, { sandbox }) {
    const dir = await openDir(sandbox, args.path ?? '.');
    let entries: Dirent[];
    try {
      entries = (await fs.readdir(dir.via, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    } finally {
      await dir.close();
    }
    const lines = entries.slice(0, MAX_LIST_ENTRIES).map((e) => (e.isDirectory() ? `${e.name}/` : e.isSymbolicLink() ? `${e.name}@` : e.name));
    if (entries.length > MAX_LIST_ENTRIES) lines.push(`[${entries.length - MAX_LIST_ENTRIES} more entries not shown]`);
    return { text: lines.length ? lines.join('\n') : '(empty directory)' };
  },
};

const findArgs = z.object({
  pattern: z.string().min(1).max(1000).describe('Glob pattern, e.g. "**/*.ts" or "src/*.md".'),
  path: dirArg('Directory to search from'),
});

export const findFilesTool: ToolDef<z.infer<typeof findArgs>> = {
  name: 'find_files',
  description: 'Find files whose path (relative to the search directory) matches a glob pattern.',
  schema: findArgs,
  effect: 'read',
  async run(args, { sandbox, signal }) {
    const base = await resolveDir(sandbox, args.path);
    const isMatch = picomatch(args.pattern, { dot: true });
    const out: string[] = [];
    for await (const file of walk(sandbox, base, signal)) {
      if (isMatch(globPath(base, file)) && addCapped(out, sandbox.display(file), MAX_FIND_RESULTS, 'results')) break;
    }
    return { text: out.length ? out.join('\n') : 'No files matched.' };
  },
};

const searchArgs = z.object({
  query: z.string().min(1).max(1000).describe('Text to look for (or a regular expression when regex is true).'),
  regex: z.boolean().optional(),
  path: dirArg('Directory (or file) to search'),
  glob: z.string().max(1000).optional().describe('Only search files matching this glob, e.g. "**/*.ts".'),
  caseSensitive: z.boolean().optional(),
});

export const searchFilesTool: ToolDef<z.infer<typeof searchArgs>> = {
  name: 'search_files',
  description: 'Search file contents. Returns matching lines as path:line: text.',
  schema: searchArgs,
  effect: 'read',
  async run(args, { sandbox, signal }) {
    const base = await resolveDir(sandbox, args.path);
    let re: RegExp;
    try {
      const flags = args.caseSensitive ? '' : 'i';
      re = args.regex ? new RegExp(args.query, flags) : new RegExp(args.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
    } catch (err) {
      throw new ToolError(`Invalid regular expression: ${(err as Error).message}`);
    }
    const isMatch = args.glob ? picomatch(args.glob, { dot: true }) : () => true;
    const files = (await fs.stat(base)).isFile() ? [base] : walk(sandbox, base, signal);
    const out: string[] = [];
    outer: for await (const file of files) {
      const rel = globPath(base, file);
      if (rel && !isMatch(rel)) continue;
      // Files that cannot be opened inside (raced, hard-linked, gone) are skipped like binaries.
      const read = await readGuarded(sandbox, file, MAX_SEARCH_FILE_BYTES + 1).catch(() => null);
      if (!read || read.stat.size > MAX_SEARCH_FILE_BYTES) continue;
      const buf = read.buf;
      if (buf.includes(0)) continue; // binary
      const lines = buf.toString('utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (re.test(lines[i]!) && addCapped(out, `${sandbox.display(file)}:${i + 1}: ${lines[i]!.slice(0, 500)}`, MAX_SEARCH_MATCHES, 'matches')) break outer;
      }
    }
    return { text: out.length ? out.join('\n') : 'No matches.' };
  },
};

const writeArgs = z.object({
  path: relPath.describe('File to write; parent directories are created.'),
  content: z.string().max(10 * 1024 * 1024),
});

export const writeFileTool: ToolDef<z.infer<typeof writeArgs>> = {
  name: 'write_file',
  description: 'Create or overwrite a text file with the given content.',
  schema: writeArgs,
  effect: 'edit',
  async run(args, { sandbox }) {
    const { real, created } = await writeGuarded(sandbox, args.path, args.content);
    return { text: `${created ? 'Created' : 'Overwrote'} ${sandbox.display(real)} (${Buffer.byteLength(args.content)} bytes).` };
  },
};

const editArgs = z.object({
  path: relPath,
  old_string: z.string().min(1).describe('Exact text to replace; must occur exactly once in the file.'),
  new_string: z.string(),
});

export const editFileTool: ToolDef<z.infer<typeof editArgs>> = {
  name: 'edit_file',
  description: 'Replace one exact occurrence of old_string with new_string in a file. Fails if old_string occurs zero or several times.',
  schema: editArgs,
  effect: 'edit',
  async run(args, { sandbox }) {
    const read = await readGuarded(sandbox, args.path, MAX_EDIT_BYTES + 1);
    if (read.stat.size > MAX_EDIT_BYTES) throw new ToolError(`${args.path} is larger than ${MAX_EDIT_BYTES} bytes; edit_file does not change files that big.`);
    const text = read.buf.toString('utf8');
    const first = text.indexOf(args.old_string);
    if (first < 0) throw new ToolError(`old_string was not found in ${args.path}.`);
    if (text.indexOf(args.old_string, first + 1) >= 0) {
      throw new ToolError(`old_string occurs more than once in ${args.path}; include more context so it is unique.`);
    }
    const updated = text.slice(0, first) + args.new_string + text.slice(first + args.old_string.length);
    const { real } = await writeGuarded(sandbox, args.path, updated, { expect: { dev: read.stat.dev, ino: read.stat.ino } });
    return { text: `Edited ${sandbox.display(real)}.` };
  },
};
