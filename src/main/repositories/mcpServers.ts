// MCP server settings (migration 0004), chosen per agent by name, with the user's approval to
// start a stdio server (migration 0005: bound to a hash of the exact launch spec).
import { createHash } from 'node:crypto';
import type { Client, Row } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { mcpServerSchema, type McpServerConfig, type McpServerSpec } from '../../shared/ipc/channels/runtime.js';
import { constraintKind, mapSqliteError, DataError } from './errors.js';
import { json, nowIso, num, str, strOrNull } from './rows.js';
import { wellFormedJson } from '../db/well-formed-json.js';

export interface McpServerWrite {
  id?: string;
  name: string;
  spec: McpServerSpec;
  readOnlyTools: string[];
  enabled: boolean;
}

const SELECT = `SELECT s.*, a.spec_sha256 AS approved_sha256 FROM mcp_servers s LEFT JOIN mcp_approvals a ON a.server_id = s.id`;

const gone = (id: string) => new DataError('NOT_FOUND', 'That MCP server no longer exists', { id });

/**
 * sha256 of what decides which process starts: command, args, env (keys sorted) and cwd. The
 * name, read-only tools and the enabled flag are not part of it.
 */
export function launchFingerprint(spec: McpServerSpec): string | null {
  if (spec.transport !== 'stdio') return null;
  const env = Object.fromEntries(Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(JSON.stringify([spec.command, spec.args, env, spec.cwd])).digest('hex');
}

function toConfig(r: Row): McpServerConfig {
  // Parsed through the schema so a hand-edited row cannot hand the runtime a bad command.
  const spec = mcpServerSchema.parse(json<unknown>(r, 'spec'));
  const fingerprint = launchFingerprint(spec);
  return {
    id: str(r, 'id'),
    name: str(r, 'name'),
    spec,
    readOnlyTools: json<string[]>(r, 'read_only_tools'),
    enabled: num(r, 'enabled') === 1,
    approved: fingerprint === null || fingerprint === strOrNull(r, 'approved_sha256'),
    createdAt: str(r, 'created_at'),
    updatedAt: str(r, 'updated_at'),
  };
}

export class McpServersRepository {
  constructor(private readonly client: Client) {}

  async list(): Promise<McpServerConfig[]> {
    const r = await this.client.execute(`${SELECT} ORDER BY s.name, s.id`);
    return r.rows.map(toConfig);
  }

  async get(id: string): Promise<McpServerConfig | null> {
    const r = await this.client.execute({ sql: `${SELECT} WHERE s.id = ?`, args: [id] });
    return r.rows[0] ? toConfig(r.rows[0]) : null;
  }

  async byNames(names: readonly string[]): Promise<McpServerConfig[]> {
    if (names.length === 0) return [];
    const r = await this.client.execute({
      sql: `${SELECT} WHERE s.name IN (${names.map(() => '?').join(', ')}) ORDER BY s.name`,
      args: [...names],
    });
    return r.rows.map(toConfig);
  }

  async save(input: McpServerWrite): Promise<McpServerConfig> {
    const now = nowIso();
    const id = input.id ?? uuidv7();
    const fields = [input.name, wellFormedJson(input.spec), wellFormedJson(input.readOnlyTools), input.enabled ? 1 : 0];
    let updated = 1;
    try {
      if (input.id) {
        const r = await this.client.execute({
          sql: 'UPDATE mcp_servers SET name = ?, spec = ?, read_only_tools = ?, enabled = ?, updated_at = ? WHERE id = ?',
          args: [...fields, now, id],
        });
        updated = r.rowsAffected;
      } else {
        await this.client.execute({
          sql: 'INSERT INTO mcp_servers (id, name, spec, read_only_tools, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          args: [id, ...fields, now, now],
        });
      }
    } catch (err) {
      // The only unique key a save can hit is the name.
      if (constraintKind(err) === 'unique') {
        throw new DataError('CONFLICT', `An MCP server named "${input.name}" already exists`, { field: 'name', constraint: 'unique' }, { cause: err });
      }
      mapSqliteError(err, 'saving the MCP server');
    }
    if (updated === 0) throw gone(id);
    return (await this.get(id))!;
  }

  /**
   * Approves starting the server with `shown`, the spec the user saw. CONFLICT when the stored
   * spec differs from it (an edit in between must be looked at again); NOT_FOUND when gone.
   */
  async approve(id: string, shown: McpServerSpec): Promise<McpServerConfig> {
    const current = await this.get(id);
    if (!current) throw gone(id);
    const fingerprint = launchFingerprint(current.spec);
    if (fingerprint === null) return current;
    if (launchFingerprint(shown) !== fingerprint) {
      throw new DataError('CONFLICT', `The command of MCP server "${current.name}" changed; review it again before approving`, { id });
    }
    try {
      await this.client.execute({
        // Bound to the spec read above: if it changed since, the stored hash simply won't match it.
        sql: `INSERT INTO mcp_approvals (server_id, spec_sha256, approved_at) VALUES (?, ?, ?)
              ON CONFLICT (server_id) DO UPDATE SET spec_sha256 = excluded.spec_sha256, approved_at = excluded.approved_at`,
        args: [id, fingerprint, nowIso()],
      });
    } catch (err) {
      // Removed between the read and the write (foreign key).
      mapSqliteError(err, 'approving the MCP server');
    }
    return (await this.get(id))!;
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.client.execute({ sql: 'DELETE FROM mcp_servers WHERE id = ?', args: [id] });
    return r.rowsAffected > 0;
  }
}
