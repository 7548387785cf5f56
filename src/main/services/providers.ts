// Model providers: settings in the database, keys in the secret store (never returned), and the
// provider's own model list on demand.
import type { Provider, ProviderSaveInput, ProviderTestInput, ProviderTestResult } from '../../shared/ipc/channels/providers';
import { PaddockError } from '../../shared/ipc/result';
import type { EventBus } from '../ipc/events';
import type { ProvidersRepository } from '../repositories/providers';
import { listProviderModels } from '../runtime/providers';
import type { SecretStore } from '../secrets/secretStore';

export interface ProvidersServiceDeps {
  providers: ProvidersRepository;
  secrets: SecretStore;
  events: Pick<EventBus, 'emit'>;
}

const gone = () => new PaddockError('NOT_FOUND', 'That provider no longer exists');

export class ProvidersService {
  readonly #deps: ProvidersServiceDeps;

  constructor(deps: ProvidersServiceDeps) {
    this.#deps = deps;
  }

  list(): Promise<Provider[]> {
    return this.#deps.providers.list();
  }

  /** Saves settings; the key goes to the secret store only and is never returned. */
  async save(input: ProviderSaveInput): Promise<Provider> {
    const { providers, secrets, events } = this.#deps;
    const saved = await providers.save({
      ...(input.id ? { id: input.id } : {}),
      name: input.name,
      kind: input.kind,
      baseURL: input.baseURL,
      defaultModel: input.defaultModel,
      models: input.models,
    });
    if (typeof input.apiKey === 'string') {
      await secrets.set(saved.id, input.apiKey);
      await providers.setHasKey(saved.id, true);
    } else if (input.apiKey === null) {
      await secrets.delete(saved.id);
      await providers.setHasKey(saved.id, false);
    }
    events.emit('providers.changed', { providerId: saved.id, change: 'saved' });
    return (await providers.get(saved.id))!;
  }

  async remove(id: string): Promise<{ id: string }> {
    if (!(await this.#deps.providers.remove(id))) throw gone();
    await this.#deps.secrets.delete(id);
    this.#deps.events.emit('providers.changed', { providerId: id, change: 'removed' });
    return { id };
  }

  /** Lists models with the given settings. Provider errors are reported, not thrown. */
  async test(input: ProviderTestInput): Promise<ProviderTestResult> {
    const { providers, secrets } = this.#deps;
    let endpoint;
    if ('id' in input) {
      const p = await providers.get(input.id);
      if (!p) throw gone();
      endpoint = { kind: p.kind, baseURL: p.baseURL, apiKey: await secrets.get(p.id) };
    } else {
      const d = input.draft;
      // An unchanged key field in the form means "the saved key".
      const apiKey = d.apiKey ?? (d.id ? await secrets.get(d.id) : null);
      endpoint = { kind: d.kind, baseURL: d.baseURL, apiKey };
    }
    try {
      const models = await listProviderModels(endpoint);
      return { ok: true, message: `Connected: ${models.length} model${models.length === 1 ? '' : 's'} available.`, models };
    } catch (err) {
      return { ok: false, message: (err as Error).message, models: [] };
    }
  }

  async models(id: string): Promise<string[]> {
    const p = await this.#deps.providers.get(id);
    if (!p) throw gone();
    try {
      return await listProviderModels({ kind: p.kind, baseURL: p.baseURL, apiKey: await this.#deps.secrets.get(p.id) });
    } catch (err) {
      throw new PaddockError('CONFLICT', `Could not list the models of ${p.name}: ${(err as Error).message}`, { reason: 'PROVIDER_ERROR' });
    }
  }
}
