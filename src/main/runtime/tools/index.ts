import { editFileTool, findFilesTool, listDirectoryTool, readFileTool, searchFilesTool, writeFileTool } from './files';
import { runShellTool } from './shell';
import { SandboxError } from './sandbox';
import { ToolError, type ToolContext, type ToolDef, type ToolOutput } from './types';
import { BUILTIN_TOOL_NAMES } from '../../../shared/ipc/channels/runtime';

export { PathSandbox, SandboxError } from './sandbox';
export { HardLinkError } from './guarded-fs';
export { ToolProcesses, TOOL_PROCESSES_FILE } from './processes';
export type { ToolDef, ToolContext, ToolOutput, ToolEffect } from './types';
export { ToolError } from './types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const BUILTIN_TOOLS: readonly ToolDef<any>[] = [
  readFileTool,
  listDirectoryTool,
  findFilesTool,
  searchFilesTool,
  writeFileTool,
  editFileTool,
  runShellTool,
];

// Keep the shared list (what the UI offers) and the implementations in step.
for (const t of BUILTIN_TOOLS) if (!(BUILTIN_TOOL_NAMES as readonly string[]).includes(t.name)) throw new Error(`unlisted tool ${t.name}`);

/** The built-in tools an agent enabled (AgentConfig.builtinTools); unknown names are ignored. */
export function builtinToolsFor(names: readonly string[]): ToolDef[] {
  const wanted = new Set(names);
  return BUILTIN_TOOLS.filter((t) => wanted.has(t.name));
}

/**
 * Validates the model's arguments and runs the tool. Every failure the model caused (bad
 * arguments, a path outside the sandbox, a missing file) becomes an error result it can read
 * and correct; only a stop propagates as an abort.
 */
export async function executeTool(def: ToolDef, input: unknown, ctx: ToolContext): Promise<ToolOutput> {
  const parsed = def.schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
    return { text: `Invalid arguments for ${def.name}: ${issues}`, isError: true };
  }
  try {
    return await def.run(parsed.data, ctx);
  } catch (err) {
    if (err instanceof ToolError || err instanceof SandboxError) return { text: err.message, isError: true };
    const e = err as NodeJS.ErrnoException;
    if (e?.code) return { text: `${def.name} failed: ${e.code}${e.message ? ` (${e.message})` : ''}`, isError: true };
    return { text: `${def.name} failed: ${String((err as Error)?.message ?? err)}`, isError: true };
  }
}
