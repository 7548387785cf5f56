// MCP servers as tool sources: connect over stdio or streamable HTTP with the official SDK,
// list their tools and expose each as a ToolDef, so MCP tools run under the same permission
// rules and are logged exactly like the built-ins.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import type { McpServerConfig, McpToolInfo } from '../../../shared/ipc/channels/runtime';
import type { ToolDef, ToolOutput } from '../tools/types';

/** How long one MCP tool call may take before it is cancelled. */
export const MCP_CALL_TIMEOUT_MS = 10 * 60_000;
const CONNECT_TIMEOUT_MS = 30_000;
/** Larger MCP results are cut before they reach the model (and the log). */
const MAX_RESULT_CHARS = 256 * 1024;

/** Tool names the model sees: `<server>__<tool>`, limited to what every provider accepts. */
export function mcpToolName(server: string, tool: string): string {
  return `${server}__${tool}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

type ContentPart = { type: string; text?: string; mimeType?: string; data?: string; uri?: string; resource?: { uri?: string; text?: string; mimeType?: string } };

function contentToText(content: ContentPart[] | undefined, structured: unknown): string {
  const parts = (content ?? []).map((c) => {
    switch (c.type) {
      case 'text':
        return c.text ?? '';
      case 'image':
      case 'audio':
        return `[${c.type}: ${c.mimeType ?? 'unknown type'}, ${Math.round(((c.data?.length ?? 0) * 3) / 4)} bytes]`;
      case 'resource':
        return c.resource?.text ?? `[resource: ${c.resource?.uri ?? ''}]`;
      case 'resource_link':
        return `[resource link: ${c.uri ?? ''}]`;
      default:
        return `[${c.type}]`;
    }
  });
  if (parts.length === 0 && structured !== undefined) parts.push(JSON.stringify(structured));
  const text = parts.join('\n');
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}\n[truncated at ${MAX_RESULT_CHARS} characters]` : text;
}

function transportFor(config: McpServerConfig): Transport {
  const spec = config.spec;
  if (spec.transport === 'stdio') {
    return new StdioClientTransport({
      command: spec.command,
      args: spec.args,
      env: { ...getDefaultEnvironment(), ...spec.env },
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      // The server's stderr is its log; keep it out of ours.
      stderr: 'ignore',
    });
  }
  return new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers } });
}

export interface McpConnection {
  config: McpServerConfig;
  tools: McpToolInfo[];
  /** ToolDefs for the runner, named `<server>__<tool>`. */
  toolDefs: ToolDef[];
  close(): Promise<void>;
}

/** A stdio server the user has not approved (src/main/repositories/mcpServers.ts). */
export class McpNotApprovedError extends Error {
  constructor(readonly serverName: string) {
    super(`MCP server "${serverName}" was not started: its command has not been approved. Review and approve it in Settings → MCP servers.`);
    this.name = 'McpNotApprovedError';
  }
}

export async function connectMcpServer(config: McpServerConfig): Promise<McpConnection> {
  // The one place a server process is spawned, so the one place approval is enforced.
  if (config.spec.transport === 'stdio' && !config.approved) throw new McpNotApprovedError(config.name);
  const client = new Client({ name: 'paddock', version: '0.1.0' });
  const transport = transportFor(config);
  try {
    await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new Error(`Could not connect to MCP server "${config.name}": ${(err as Error).message}`);
  }
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: CONNECT_TIMEOUT_MS });
    for (const t of page.tools) tools.push({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema });
    cursor = page.nextCursor;
  } while (cursor);

  const readOnly = new Set(config.readOnlyTools);
  const toolDefs: ToolDef[] = tools.map((t) => ({
    name: mcpToolName(config.name, t.name),
    description: `${t.description}${t.description ? ' ' : ''}(MCP server ${config.name})`,
    // The server validates against its own schema; here only "an object" is checked.
    schema: z.record(z.string(), z.unknown()),
    jsonSchema: (t.inputSchema as Record<string, unknown>) ?? { type: 'object', properties: {} },
    // Only tools the user marked read-only skip approval; servers' own hints are not trusted.
    effect: readOnly.has(t.name) ? 'read' : 'execute',
    source: config.name,
    async run(args, { signal }): Promise<ToolOutput> {
      const result = await client.callTool({ name: t.name, arguments: args as Record<string, unknown> }, undefined, {
        signal,
        timeout: MCP_CALL_TIMEOUT_MS,
      });
      return {
        text: contentToText(result.content as ContentPart[] | undefined, result.structuredContent),
        isError: result.isError === true,
      };
    },
  }));

  return {
    config,
    tools,
    toolDefs,
    close: () => client.close(),
  };
}

/** Closes a pooled connection if it ever opened; a failed open or close leaves nothing to undo. */
async function closeQuietly(p: Promise<McpConnection> | undefined): Promise<void> {
  const conn = await p?.catch(() => null);
  await conn?.close().catch(() => undefined);
}

/**
 * One live connection per configured server, opened on first use and reused by later runs
 * (stdio servers are processes; starting one per model step would be slow). A changed config
 * (updatedAt) or a failed connection is replaced on the next get.
 */
export class McpPool {
  private readonly conns = new Map<string, Promise<McpConnection>>();

  async get(config: McpServerConfig): Promise<McpConnection> {
    const key = config.id;
    const existing = this.conns.get(key);
    if (existing) {
      const conn = await existing.catch(() => null);
      if (conn && conn.config.updatedAt === config.updatedAt && config.approved) return conn;
      this.conns.delete(key);
      await conn?.close().catch(() => undefined);
    }
    const p = connectMcpServer(config);
    this.conns.set(key, p);
    p.catch(() => this.conns.delete(key));
    return p;
  }

  async drop(id: string): Promise<void> {
    const p = this.conns.get(id);
    this.conns.delete(id);
    await closeQuietly(p);
  }

  async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(all.map((p) => closeQuietly(p)));
  }
}
