// Plain-language summaries of a tool call for the approval card: what it does, to what, and
// whether it can be undone. The raw arguments are always shown in full beside it.
import type { JsonValue } from '../../../shared/domain';

export interface CallSummary {
  action: string;
  target: string | null;
  /** How reversible / risky, in a few words. */
  risk: 'low' | 'medium' | 'high';
  note: string;
}

function str(args: JsonValue | null, key: string): string | null {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return null;
  const v = (args as Record<string, JsonValue>)[key];
  return typeof v === 'string' ? v : null;
}

export function summarizeCall(toolName: string | null, args: JsonValue | null): CallSummary {
  switch (toolName) {
    case 'write_file': {
      const content = str(args, 'content');
      return {
        action: `Write ${content === null ? 'a' : `${content.length.toLocaleString('en-US')} characters to`} file`,
        target: str(args, 'path'),
        risk: 'medium',
        note: 'Creates the file, or replaces its whole content if it exists.',
      };
    }
    case 'edit_file':
      return { action: 'Edit file', target: str(args, 'path'), risk: 'medium', note: 'Replaces one exact piece of text in the file.' };
    case 'run_shell':
      return { action: 'Run shell command', target: str(args, 'command'), risk: 'high', note: 'Runs with your user rights in the working directory; effects may not be reversible.' };
    default:
      return {
        action: `Call ${toolName ?? 'a tool'}`,
        target: null,
        risk: toolName?.includes('__') ? 'high' : 'medium',
        note: toolName?.includes('__') ? 'A tool of an MCP server: it can do whatever that server allows.' : 'Check the arguments below.',
      };
  }
}

/**
 * The pattern an "Always allow…" rule starts with, for the user to edit: a shell command's
 * program and subcommand (`npm test*`), a file's folder (`src/**`); null (every call) otherwise.
 */
export function suggestPattern(toolName: string | null, args: JsonValue | null): string | null {
  if (toolName === 'run_shell') {
    const words = (str(args, 'command') ?? '').trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return null;
    const head = words.length > 1 && !words[1]!.startsWith('-') && /^[\w.:/@-]+$/.test(words[1]!) ? `${words[0]} ${words[1]}` : words[0]!;
    return `${head}*`;
  }
  const p = str(args, 'path');
  if (p && ['write_file', 'edit_file', 'read_file'].includes(toolName ?? '')) {
    const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    return dir ? `${dir}/**` : '*';
  }
  return null;
}
