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
