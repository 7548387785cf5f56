// MCP servers: their settings, the user's approval of a stdio server's exact command, and a live
// look at a server's tools. Connections are the runtime's pool: a changed or removed server is
// dropped from it, so the next run connects with what is saved.
import type { ChannelInput } from '../../shared/ipc';
import type { McpServerConfig, McpToolInfo } from '../../shared/ipc/channels/runtime';
import { PaddockError } from '../../shared/ipc/result';
import type { McpServersRepository } from '../repositories/mcpServers';
import { McpNotApprovedError, type McpPool } from '../runtime/mcp/client';

export interface McpServersServiceDeps {
  mcpServers: McpServersRepository;
  pool: McpPool;
}

const gone = () => new PaddockError('NOT_FOUND', 'That MCP server no longer exists');

export class McpServersService {
  readonly #deps: McpServersServiceDeps;

  constructor(deps: McpServersServiceDeps) {
    this.#deps = deps;
  }

  list(): Promise<McpServerConfig[]> {
    return this.#deps.mcpServers.list();
  }

  async save(input: ChannelInput<'runtime.mcpSave'>): Promise<McpServerConfig> {
    const saved = await this.#deps.mcpServers.save(input);
    await this.#deps.pool.drop(saved.id);
    return saved;
  }

  async remove(id: string): Promise<{ id: string }> {
    if (!(await this.#deps.mcpServers.remove(id))) throw gone();
    await this.#deps.pool.drop(id);
    return { id };
  }

  approve(input: ChannelInput<'runtime.mcpApprove'>): Promise<McpServerConfig> {
    return this.#deps.mcpServers.approve(input.id, input.spec);
  }

  /** Connects (or reuses the connection) and lists the server's tools. */
  async tools(id: string): Promise<McpToolInfo[]> {
    const server = await this.#deps.mcpServers.get(id);
    if (!server) throw gone();
    try {
      return (await this.#deps.pool.get(server)).tools;
    } catch (err) {
      const reason = err instanceof McpNotApprovedError ? 'MCP_NOT_APPROVED' : 'MCP_ERROR';
      throw new PaddockError('CONFLICT', (err as Error).message, { reason });
    }
  }
}
