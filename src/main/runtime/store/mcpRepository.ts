// MCP server settings (migration 0004), chosen per agent by name.
import type { Client, Row } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { PaddockError } from '../../../shared/ipc/result';
import { mcpServerSchema, type McpServerConfig, type McpServerSpec } from '../../../shared/ipc/channels/runtime';

export interface McpServerWrite {
  id?: string;
  name: string;
  spec: McpServerSpec;
  readOnlyTools: string[];
  enabled: boolean;
}

function toConfig(r: Row): McpServerConfig {
  return {
    id: r.id as string,
    name: r.name as string,
    // Parsed through the schema so a hand-edited row cannot hand the runtime a bad command.
    spec: mcpServerSchema.parse(JSON.parse(r.spec as string)),
    readOnlyTools: JSON.parse(r.read_only_tools as string) as string[],
    enabled: r.enabled === 1,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

export class McpServersRepository {
  constructor(private readonly client: Client) {}

  async list(): Promise<McpServerConfig[]> {
    const r = await this.client.execute('SELECT * FROM mcp_servers ORDER BY name, id');
    return r.rows.map(toConfig);
  }

  async get(id: string): Promise<McpServerConfig | null> {
    const r = await this.client.execute({ sql: 'SELECT * FROM mcp_servers WHERE id = ?', args: [id] });
    return r.rows[0] ? toConfig(r.rows[0]) : null;
  }

  async byNames(names: readonly string[]): Promise<McpServerConfig[]> {
    if (names.length === 0) return [];
    const r = await this.client.execute({
      sql: `SELECT * FROM mcp_servers WHERE name IN (${names.map(() => '?').join(', ')}) ORDER BY name`,
      args: [...names],
    });
    return r.rows.map(toConfig);
  }

  async save(input: McpServerWrite): Promise<McpServerConfig> {
    const now = new Date().toISOString();
    const id = input.id ?? uuidv7();
    const fields = [input.name, JSON.stringify(input.spec), JSON.stringify(input.readOnlyTools), input.enabled ? 1 : 0];
    try {
      if (input.id) {
        const r = await this.client.execute({
          sql: 'UPDATE mcp_servers SET name = ?, spec = ?, read_only_tools = ?, enabled = ?, updated_at = ? WHERE id = ?',
          args: [...fields, now, id],
        });
        if (r.rowsAffected === 0) throw new PaddockError('NOT_FOUND', 'That MCP server no longer exists');
      } else {
        await this.client.execute({
          sql: 'INSERT INTO mcp_servers (id, name, spec, read_only_tools, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          args: [id, ...fields, now, now],
        });
      }
    } catch (err) {
      if (/UNIQUE constraint failed: mcp_servers\.name/.test(String((err as Error)?.message))) {
        throw new PaddockError('CONFLICT', `An MCP server named "${input.name}" already exists`);
      }
      throw err;
    }
    return (await this.get(id))!;
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.client.execute({ sql: 'DELETE FROM mcp_servers WHERE id = ?', args: [id] });
    return r.rowsAffected > 0;
  }
}
