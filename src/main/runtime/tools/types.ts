import type { z } from 'zod';
import type { ToolProcesses } from './processes';
import type { PathSandbox } from './sandbox';

/**
 * What a tool may change, which decides how the permission policy treats it:
 * `read` never asks, `edit` (file changes) runs under acceptEdits, `execute` (shell, and any MCP
 * tool we cannot classify) waits unless bypassPermissions or an "always allow" rule says so.
 */
export type ToolEffect = 'read' | 'edit' | 'execute';

export interface ToolContext {
  sandbox: PathSandbox;
  /** Aborted when the session is stopped: tools must end promptly. */
  signal: AbortSignal;
  /** Where processes a tool starts are recorded (the runtime's; a process-wide one if absent). */
  processes?: ToolProcesses;
}

export interface ToolOutput {
  /** What the model is told. */
  text: string;
  isError?: boolean;
}

export interface ToolDef<A = unknown> {
  name: string;
  description: string;
  /** zod schema of the arguments; the model's input is validated against it before running. */
  schema: z.ZodType<A>;
  /** JSON Schema shown to the model instead of one derived from `schema` (MCP tools bring their own). */
  jsonSchema?: Record<string, unknown>;
  effect: ToolEffect;
  run(args: A, ctx: ToolContext): Promise<ToolOutput>;
  /** Where the tool comes from: 'builtin' or the MCP server's name. */
  source?: string;
}

/** Tool errors the model should see as a failed result (not a crash of the run). */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}
