// Providers and their model price table (migration 0004). Keys are not here: has_key only
// mirrors what the secret store holds.
import type { Client, InStatement, Row } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { PaddockError } from '../../../shared/ipc/result';
import type { Provider, ProviderKind, ProviderModel } from '../../../shared/ipc/channels/providers';

export interface ProviderWrite {
  id?: string;
  name: string;
  kind: ProviderKind;
  baseURL: string | null;
  defaultModel: string | null;
  models: ProviderModel[];
}

function toModel(r: Row): ProviderModel {
  const input = r.price_input as number | null;
  return {
    id: r.model_id as string,
    contextWindow: (r.context_window as number | null) ?? null,
    price:
      input === null
        ? null
        : {
            input,
            output: r.price_output as number,
            cachedInput: (r.price_cached as number | null) ?? null,
            reasoning: (r.price_reasoning as number | null) ?? null,
          },
  };
}

function isUniqueViolation(err: unknown): boolean {
  return /UNIQUE constraint failed: providers\.name/.test(String((err as Error)?.message));
}

export class ProvidersRepository {
  constructor(private readonly client: Client) {}

  async list(): Promise<Provider[]> {
    const [p, m] = await this.client.batch(
      [
        'SELECT * FROM providers ORDER BY name COLLATE NOCASE, id',
        'SELECT * FROM provider_models ORDER BY provider_id, position',
      ],
      'read',
    );
    const models = new Map<string, ProviderModel[]>();
    for (const r of m!.rows) {
      const list = models.get(r.provider_id as string) ?? [];
      list.push(toModel(r));
      models.set(r.provider_id as string, list);
    }
    return p!.rows.map((r) => this.toProvider(r, models.get(r.id as string) ?? []));
  }

  async get(id: string): Promise<Provider | null> {
    const [p, m] = await this.client.batch(
      [
        { sql: 'SELECT * FROM providers WHERE id = ?', args: [id] },
        { sql: 'SELECT * FROM provider_models WHERE provider_id = ? ORDER BY position', args: [id] },
      ],
      'read',
    );
    const row = p!.rows[0];
    return row ? this.toProvider(row, m!.rows.map(toModel)) : null;
  }

  /** By id, or else by name (case-insensitive), so a model ref may name the provider. */
  async resolve(idOrName: string): Promise<Provider | null> {
    const byId = await this.get(idOrName);
    if (byId) return byId;
    const r = await this.client.execute({ sql: 'SELECT id FROM providers WHERE name = ? COLLATE NOCASE', args: [idOrName] });
    return r.rows[0] ? this.get(r.rows[0].id as string) : null;
  }

  async save(input: ProviderWrite): Promise<Provider> {
    const now = new Date().toISOString();
    const id = input.id ?? uuidv7();
    const seen = new Set<string>();
    for (const m of input.models) {
      if (seen.has(m.id)) throw new PaddockError('VALIDATION', `Model ${m.id} is listed twice`);
      seen.add(m.id);
    }
    const stmts: InStatement[] = [];
    if (input.id) {
      const existing = await this.get(input.id);
      if (!existing) throw new PaddockError('NOT_FOUND', 'That provider no longer exists');
      stmts.push({
        sql: 'UPDATE providers SET name = ?, kind = ?, base_url = ?, default_model = ?, updated_at = ? WHERE id = ?',
        args: [input.name, input.kind, input.baseURL, input.defaultModel, now, id],
      });
      stmts.push({ sql: 'DELETE FROM provider_models WHERE provider_id = ?', args: [id] });
    } else {
      stmts.push({
        sql: 'INSERT INTO providers (id, name, kind, base_url, default_model, has_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)',
        args: [id, input.name, input.kind, input.baseURL, input.defaultModel, now, now],
      });
    }
    input.models.forEach((m, position) =>
      stmts.push({
        sql: `INSERT INTO provider_models (provider_id, model_id, position, context_window, price_input, price_output, price_cached, price_reasoning)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [id, m.id, position, m.contextWindow, m.price?.input ?? null, m.price?.output ?? null, m.price?.cachedInput ?? null, m.price?.reasoning ?? null],
      }),
    );
    try {
      await this.client.batch(stmts, 'write');
    } catch (err) {
      if (isUniqueViolation(err)) throw new PaddockError('CONFLICT', `A provider named "${input.name}" already exists`);
      throw err;
    }
    return (await this.get(id))!;
  }

  async setHasKey(id: string, hasKey: boolean): Promise<void> {
    await this.client.execute({ sql: 'UPDATE providers SET has_key = ? WHERE id = ?', args: [hasKey ? 1 : 0, id] });
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.client.execute({ sql: 'DELETE FROM providers WHERE id = ?', args: [id] });
    return r.rowsAffected > 0;
  }

  private toProvider(r: Row, models: ProviderModel[]): Provider {
    return {
      id: r.id as string,
      name: r.name as string,
      kind: r.kind as ProviderKind,
      baseURL: (r.base_url as string | null) ?? null,
      defaultModel: (r.default_model as string | null) ?? null,
      models,
      hasKey: r.has_key === 1,
      createdAt: r.created_at as string,
      updatedAt: r.updated_at as string,
    };
  }
}
