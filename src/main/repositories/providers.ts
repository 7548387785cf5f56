// Providers and their model price table (migration 0004). Keys are not here: has_key only
// mirrors what the secret store holds.
import type { Client, InStatement, Row } from '@libsql/client';
import { uuidv7 } from 'uuidv7';
import { PROVIDER_KINDS, type Provider, type ProviderKind, type ProviderModel } from '../../shared/ipc/channels/providers.js';
import { constraintKind, mapSqliteError, DataError } from './errors.js';
import { nowIso, num, str, strOrNull } from './rows.js';

export interface ProviderWrite {
  id?: string;
  name: string;
  kind: ProviderKind;
  baseURL: string | null;
  defaultModel: string | null;
  models: ProviderModel[];
}

// rows.ts has no nullable-number reader yet; the price columns are the only ones that need it.
function numOrNull(row: Row, col: string): number | null {
  return row[col] === null || row[col] === undefined ? null : num(row, col);
}

function toModel(r: Row): ProviderModel {
  const input = numOrNull(r, 'price_input');
  return {
    id: str(r, 'model_id'),
    contextWindow: numOrNull(r, 'context_window'),
    price:
      input === null
        ? null
        : { input, output: num(r, 'price_output'), cachedInput: numOrNull(r, 'price_cached'), reasoning: numOrNull(r, 'price_reasoning') },
  };
}

function toProvider(r: Row, models: ProviderModel[]): Provider {
  const kind = str(r, 'kind');
  // The schema's CHECK keeps kind to these; a row that says otherwise is not ours to run.
  if (!(PROVIDER_KINDS as readonly string[]).includes(kind)) throw new Error(`column kind: unknown provider kind ${kind}`);
  return {
    id: str(r, 'id'),
    name: str(r, 'name'),
    kind: kind as ProviderKind,
    baseURL: strOrNull(r, 'base_url'),
    defaultModel: strOrNull(r, 'default_model'),
    models,
    hasKey: num(r, 'has_key') === 1,
    createdAt: str(r, 'created_at'),
    updatedAt: str(r, 'updated_at'),
  };
}

export class ProvidersRepository {
  constructor(private readonly client: Client) {}

  async list(): Promise<Provider[]> {
    const [p, m] = await this.client.batch(
      ['SELECT * FROM providers ORDER BY name COLLATE NOCASE, id', 'SELECT * FROM provider_models ORDER BY provider_id, position'],
      'read',
    );
    const models = new Map<string, ProviderModel[]>();
    for (const r of m!.rows) {
      const providerId = str(r, 'provider_id');
      const list = models.get(providerId) ?? [];
      list.push(toModel(r));
      models.set(providerId, list);
    }
    return p!.rows.map((r) => toProvider(r, models.get(str(r, 'id')) ?? []));
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
    return row ? toProvider(row, m!.rows.map(toModel)) : null;
  }

  /** By id, or else by name (case-insensitive), so a model ref may name the provider. */
  async resolve(idOrName: string): Promise<Provider | null> {
    const byId = await this.get(idOrName);
    if (byId) return byId;
    const r = await this.client.execute({ sql: 'SELECT id FROM providers WHERE name = ? COLLATE NOCASE', args: [idOrName] });
    return r.rows[0] ? this.get(str(r.rows[0], 'id')) : null;
  }

  async save(input: ProviderWrite): Promise<Provider> {
    const now = nowIso();
    const id = input.id ?? uuidv7();
    const seen = new Set<string>();
    for (const m of input.models) {
      if (seen.has(m.id)) throw new DataError('VALIDATION', `Model ${m.id} is listed twice`, { field: 'models' });
      seen.add(m.id);
    }
    const stmts: InStatement[] = [];
    if (input.id) {
      if (!(await this.get(input.id))) throw new DataError('NOT_FOUND', 'That provider no longer exists', { id: input.id });
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
      // The only unique key a save can hit is the name (ids are fresh or already checked).
      if (constraintKind(err) === 'unique') {
        throw new DataError('CONFLICT', `A provider named "${input.name}" already exists`, { field: 'name', constraint: 'unique' }, { cause: err });
      }
      mapSqliteError(err, 'saving the provider');
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
}
