import { z } from 'zod';
import { defineDomain, request, returns } from '../define';
import { byIdSchema, idSchema } from '../schemas';
import type { ToolRule } from './rules';

/** The built-in tools an agent can enable (AgentConfig.builtinTools). */
export const BUILTIN_TOOL_NAMES = [
  'read_file',
  'list_directory',
  'find_files',
  'search_files',
  'write_file',
  'edit_file',
  'run_shell',
] as const;
export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

/** once = this call only; session / agent = also every later call of this tool there. */
export const APPROVAL_SCOPES = ['once', 'session', 'agent'] as const;
export type ApprovalScope = (typeof APPROVAL_SCOPES)[number];

/**
 * Settings keys the runtime reads from AgentConfig.settings (free-form JSON):
 * - `approvalTimeoutMs` (number): unattended runs deny a waiting call after this long.
 * - `temperature` (number), `maxOutputTokens` (number): passed to the model.
 * - `thinkingBudgetTokens` (number): Anthropic extended thinking budget.
 * - `reasoningEffort` (string: low / medium / high): OpenAI and OpenAI-compatible reasoning models.
 */
export const RUNTIME_SETTING_KEYS = ['approvalTimeoutMs', 'temperature', 'maxOutputTokens', 'thinkingBudgetTokens', 'reasoningEffort'] as const;

// The run-driving requests (sessions.start/send/stop/resume/approve/deny) and the usage event
// are declared with the rest of the session domain, in channels/sessions.ts.

// ---- MCP servers (configured once, chosen per agent by name) ----

export const MCP_TRANSPORTS = ['stdio', 'http'] as const;

export const mcpServerSchema = z.discriminatedUnion('transport', [
  z.strictObject({
    transport: z.literal('stdio'),
    command: z.string().trim().min(1).max(4096),
    args: z.array(z.string().max(4096)).max(200).default([]),
    env: z.record(z.string(), z.string().max(10_000)).default({}),
    cwd: z.string().max(4096).nullable().default(null),
  }),
  z.strictObject({
    transport: z.literal('http'),
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string(), z.string().max(10_000)).default({}),
  }),
]);
export type McpServerSpec = z.output<typeof mcpServerSchema>;

export interface McpServerConfig {
  id: string;
  /** What AgentConfig.mcpServers lists. */
  name: string;
  spec: McpServerSpec;
  /** Tools of this server that count as read-only (run without asking, except in readOnly they still run). */
  readOnlyTools: string[];
  enabled: boolean;
  /**
   * Whether it may be started. A stdio server is a command run on this machine, so it starts
   * only after the user approved exactly this command, args, env and cwd (runtime.mcpApprove);
   * editing any of them withdraws the approval. HTTP servers need none (always true).
   */
  approved: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: unknown;
}

export const mcpSaveInputSchema = z.strictObject({
  id: idSchema.optional(),
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _ (the name prefixes its tools)'),
  spec: mcpServerSchema,
  readOnlyTools: z.array(z.string().min(1).max(200)).max(1000).default([]),
  enabled: z.boolean().default(true),
});

/**
 * Approves starting a stdio MCP server. `spec` is the launch spec the user was shown; when the
 * stored one differs (someone edited it meanwhile) the approval is refused with CONFLICT.
 */
export const mcpApproveInputSchema = z.strictObject({ id: idSchema, spec: mcpServerSchema });

/** An approval rule (channels/rules.ts has the full rules domain). */
export type ApprovalRule = ToolRule;

export const runtimeDomain = defineDomain({
  requests: {
    /** Built-in tool names with descriptions, for the agent editor. */
    tools: request(z.strictObject({}).optional(), returns<{ name: string; description: string; effect: 'read' | 'edit' | 'execute' }[]>()),
    mcpList: request(z.strictObject({}).optional(), returns<McpServerConfig[]>()),
    mcpSave: request(mcpSaveInputSchema, returns<McpServerConfig>()),
    mcpRemove: request(byIdSchema, returns<{ id: string }>()),
    /** Records the user's approval to start this stdio server with exactly this spec. */
    mcpApprove: request(mcpApproveInputSchema, returns<McpServerConfig>()),
    /** Connects and lists the server's tools. */
    mcpTools: request(byIdSchema, returns<McpToolInfo[]>()),
    /** "Always allow" rules of a session or an agent. */
    rules: request(z.strictObject({ scope: z.enum(['session', 'agent']), targetId: idSchema }), returns<ApprovalRule[]>()),
    removeRule: request(byIdSchema, returns<{ id: string }>()),
  },
  events: {},
});
