// What a tool call's arguments are judged by when rules are matched: run_shell's command, a file
// tool's path (resolved the way the tool itself will resolve it), or nothing.
import path from 'node:path';
import type { CallSubject } from './match';

/** Built-in tools whose `path` argument is what path rules look at ('.' when absent). */
const PATH_TOOLS = new Set(['read_file', 'write_file', 'edit_file', 'list_directory', 'find_files', 'search_files']);

export interface PathResolver {
  /** The real path (symlinks followed) the tool would use; throws when it is refused. */
  resolve(p: string): Promise<string>;
  readonly cwd: string;
}

function argOf(args: unknown, key: string): unknown {
  return typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>)[key] : undefined;
}

export async function callSubject(toolName: string, args: unknown, resolver: PathResolver | null): Promise<CallSubject> {
  if (toolName === 'run_shell') {
    const command = argOf(args, 'command');
    return typeof command === 'string' ? { kind: 'command', command } : { kind: 'none' };
  }
  if (PATH_TOOLS.has(toolName)) {
    const given = argOf(args, 'path');
    const p = typeof given === 'string' && given ? given : '.';
    if (!resolver) return path.isAbsolute(p) ? { kind: 'path', path: path.normalize(p) } : { kind: 'none' };
    try {
      return { kind: 'path', path: await resolver.resolve(p) };
    } catch {
      // The tool will refuse it too; rules still see where it points.
      let cwd: string | null = null;
      try {
        cwd = resolver.cwd;
      } catch {
        cwd = null;
      }
      return path.isAbsolute(p) ? { kind: 'path', path: path.normalize(p) } : cwd ? { kind: 'path', path: path.resolve(cwd, p) } : { kind: 'none' };
    }
  }
  return { kind: 'none' };
}
