// Wires the runtime into the app: the providers / MCP / rules services and the contract
// handlers for providers.*, runtime.* and the run-driving sessions.* channels.
import path from 'node:path';
import type { Client } from '@libsql/client';
import { PaddockError } from '../../shared/ipc/result';
import type { Handlers } from '../ipc/dispatcher';
import type { Provider, ProviderSaveInput, ProviderTestInput, ProviderTestResult } from '../../shared/ipc/channels/providers';
import type { McpServerConfig, McpToolInfo } from '../../shared/ipc/channels/runtime';
import type { CoreContext, CorePlugin } from '../core';
import type { LogWriter } from '../logs/writer';
import { createEncryptedFileSecretStore, createFileSecretStore, createMemorySecretStore, type SecretBoxLike, type SecretStore } from '../secrets/secretStore';
import { McpNotApprovedError } from './mcp/client';
import { listProviderModels } from './providers';
import { Runtime, type RuntimeLogs, type RuntimeSessions } from './runner';
import { AgentScheduler, type CreateJob } from './scheduler';
import { ApprovalRulesRepository } from '../repositories/approvalRules';
import { McpServersRepository } from '../repositories/mcpServers';
import { ProvidersRepository } from '../repositories/providers';
import { BUILTIN_TOOLS, TOOL_PROCESSES_FILE, ToolProcesses } from './tools';

export const SECRETS_FILE = 'secrets.json';
export const ENCRYPTED_SECRETS_FILE = 'secrets.enc.json';

type Emit = (event: string, payload: unknown) => void;

export class ProvidersService {
  constructor(
    private readonly repo: ProvidersRepository,
    private readonly secrets: SecretStore,
    private readonly emit: Emit = () => undefined,
  ) {}

  list(): Promise<Provider[]> {
    return this.repo.list();
  }

  /** Saves settings; the key goes to the secret store only and is never returned. */
  async save(input: ProviderSaveInput & { apiKey?: string | null }): Promise<Provider> {
    const saved = await this.repo.save({
      ...(input.id ? { id: input.id } : {}),
      name: input.name,
      kind: input.kind,
      baseURL: input.baseURL,
      defaultModel: input.defaultModel,
      models: input.models,
    });
    if (typeof input.apiKey === 'string') {
      await this.secrets.set(saved.id, input.apiKey);
      await this.repo.setHasKey(saved.id, true);
    } else if (input.apiKey === null) {
      await this.secrets.delete(saved.id);
      await this.repo.setHasKey(saved.id, false);
    }
    this.emit('providers.changed', { providerId: saved.id, change: 'saved' });
    return (await this.repo.get(saved.id))!;
  }

  async remove(id: string): Promise<{ id: string }> {
    if (!(await this.repo.remove(id))) throw new PaddockError('NOT_FOUND', 'That provider no longer exists');
    await this.secrets.delete(id);
    this.emit('providers.changed', { providerId: id, change: 'removed' });
    return { id };
  }

  /** Lists models with the given settings. Provider errors are reported, not thrown. */
  async test(input: ProviderTestInput): Promise<ProviderTestResult> {
    let endpoint;
    if ('id' in input) {
      const p = await this.repo.get(input.id);
      if (!p) throw new PaddockError('NOT_FOUND', 'That provider no longer exists');
      endpoint = { kind: p.kind, baseURL: p.baseURL, apiKey: await this.secrets.get(p.id) };
    } else {
      const d = input.draft;
      // An unchanged key field in the form means "the saved key".
      const apiKey = d.apiKey ?? (d.id ? await this.secrets.get(d.id) : null);
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
    const p = await this.repo.get(id);
    if (!p) throw new PaddockError('NOT_FOUND', 'That provider no longer exists');
    try {
      return await listProviderModels({ kind: p.kind, baseURL: p.baseURL, apiKey: await this.secrets.get(p.id) });
    } catch (err) {
      throw new PaddockError('CONFLICT', `Could not list the models of ${p.name}: ${(err as Error).message}`, { reason: 'PROVIDER_ERROR' });
    }
  }
}

export interface CreateRuntimeOptions {
  client: Client;
  sessions: RuntimeSessions;
  logs: RuntimeLogs;
  writer: LogWriter;
  secrets: SecretStore;
  emit?: Emit;
  isUiAttached?: () => boolean;
  maxRetries?: number;
  processes?: ToolProcesses;
}

export type RuntimeHandlers = Pick<
  Handlers,
  | 'providers.list'
  | 'providers.save'
  | 'providers.remove'
  | 'providers.test'
  | 'providers.models'
  | 'sessions.start'
  | 'sessions.send'
  | 'sessions.stop'
  | 'sessions.resume'
  | 'sessions.approve'
  | 'sessions.deny'
  | 'runtime.tools'
  | 'runtime.mcpList'
  | 'runtime.mcpSave'
  | 'runtime.mcpRemove'
  | 'runtime.mcpApprove'
  | 'runtime.mcpTools'
  | 'runtime.rules'
  | 'runtime.removeRule'
>;

export interface RuntimeBundle {
  runtime: Runtime;
  providers: ProvidersService;
  handlers: RuntimeHandlers;
  close(): Promise<void>;
}

export function createRuntime(o: CreateRuntimeOptions): RuntimeBundle {
  const emit: Emit = o.emit ?? (() => undefined);
  const providersRepo = new ProvidersRepository(o.client);
  const mcpRepo = new McpServersRepository(o.client);
  const rules = new ApprovalRulesRepository(o.client);
  const runtime = new Runtime({
    sessions: o.sessions,
    logs: o.logs,
    writer: o.writer,
    providers: providersRepo,
    mcpServers: mcpRepo,
    rules,
    secrets: o.secrets,
    emit,
    ...(o.isUiAttached ? { isUiAttached: o.isUiAttached } : {}),
    ...(o.maxRetries !== undefined ? { maxRetries: o.maxRetries } : {}),
    ...(o.processes ? { processes: o.processes } : {}),
  });
  const providers = new ProvidersService(providersRepo, o.secrets, emit);

  const mcpTools = async (id: string): Promise<McpToolInfo[]> => {
    const server = await mcpRepo.get(id);
    if (!server) throw new PaddockError('NOT_FOUND', 'That MCP server no longer exists');
    try {
      return (await runtime.mcp.get(server)).tools;
    } catch (err) {
      const reason = err instanceof McpNotApprovedError ? 'MCP_NOT_APPROVED' : 'MCP_ERROR';
      throw new PaddockError('CONFLICT', (err as Error).message, { reason });
    }
  };

  const handlers: RuntimeHandlers = {
    'providers.list': () => providers.list(),
    'providers.save': (input) => providers.save(input),
    'providers.remove': ({ id }) => providers.remove(id),
    'providers.test': (input) => providers.test(input),
    'providers.models': ({ id }) => providers.models(id),

    'sessions.start': (input) => runtime.start(input),
    'sessions.send': (input) => runtime.send(input),
    'sessions.stop': ({ id }) => runtime.stop(id),
    'sessions.resume': ({ id }) => runtime.resume(id),
    'sessions.approve': (input) => runtime.approve(input),
    'sessions.deny': (input) => runtime.deny(input),

    'runtime.tools': () => BUILTIN_TOOLS.map((t) => ({ name: t.name, description: t.description, effect: t.effect })),
    'runtime.mcpList': () => mcpRepo.list(),
    'runtime.mcpSave': async (input): Promise<McpServerConfig> => {
      const saved = await mcpRepo.save(input);
      // The next run connects with the new settings.
      await runtime.mcp.drop(saved.id);
      return saved;
    },
    'runtime.mcpRemove': async ({ id }) => {
      if (!(await mcpRepo.remove(id))) throw new PaddockError('NOT_FOUND', 'That MCP server no longer exists');
      await runtime.mcp.drop(id);
      return { id };
    },
    'runtime.mcpApprove': ({ id, spec }) => mcpRepo.approve(id, spec),
    'runtime.mcpTools': ({ id }) => mcpTools(id),
    'runtime.rules': ({ scope, targetId }) => rules.list(scope, targetId),
    'runtime.removeRule': async ({ id }) => {
      if (!(await rules.remove(id))) throw new PaddockError('NOT_FOUND', 'That rule no longer exists');
      return { id };
    },
  };

  return { runtime, providers, handlers, close: () => runtime.close() };
}

export interface RuntimePluginOptions {
  /** Overrides the default store (tests, or a custom keychain). */
  secrets?: SecretStore;
  /** Electron: encrypt keys with safeStorage (H4's createSafeStorageSecretBox(safeStorage)). */
  secretBox?: SecretBoxLike;
  isUiAttached?: () => boolean;
  maxRetries?: number;
  /**
   * Runs agents on their cron schedule (default on). `false` turns it off; `createJob` replaces
   * croner (tests fire jobs by hand).
   */
  scheduler?: false | { createJob?: CreateJob };
}

/**
 * The runtime as a core plugin: `createPaddockCore({ ..., plugins: [createRuntimePlugin()] })`.
 * Keys live beside the database: `secrets.json` (0600) in the browser host, `secrets.enc.json`
 * (0600, safeStorage-encrypted values) on the desktop.
 */
export function createRuntimePlugin(opts: RuntimePluginOptions = {}): (ctx: CoreContext) => Promise<CorePlugin> {
  return async (ctx) => {
    const secrets =
      opts.secrets ??
      (ctx.dataDir
        ? opts.secretBox
          ? createEncryptedFileSecretStore(path.join(ctx.dataDir, ENCRYPTED_SECRETS_FILE), opts.secretBox)
          : createFileSecretStore(path.join(ctx.dataDir, SECRETS_FILE))
        : createMemorySecretStore());
    if (!opts.secrets && !ctx.dataDir) ctx.logger.warn?.('No data directory (remote database): API keys are kept in memory only.');
    // Before any run: end the tool commands a crashed previous process left running.
    const processes = new ToolProcesses(ctx.dataDir ? path.join(ctx.dataDir, TOOL_PROCESSES_FILE) : null);
    const leftovers = processes.sweepLeftovers();
    if (leftovers > 0) ctx.logger.warn?.(`Ended ${leftovers} tool command process group(s) left running by a previous Paddock that did not shut down.`);
    const bundle = createRuntime({
      client: ctx.client,
      sessions: ctx.repositories.sessions,
      logs: ctx.logs,
      writer: ctx.logWriter,
      secrets,
      emit: (event, payload) => ctx.events.emit(event as never, payload as never),
      ...(opts.isUiAttached ? { isUiAttached: opts.isUiAttached } : {}),
      ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
      processes,
    });
    const scheduler =
      opts.scheduler === false
        ? null
        : new AgentScheduler({
            agents: ctx.repositories.agents,
            sessions: ctx.services.sessions,
            runtime: bundle.runtime,
            events: ctx.events.subscribe,
            logger: ctx.logger,
            ...(opts.scheduler?.createJob ? { createJob: opts.scheduler.createJob } : {}),
          });
    // A database that cannot list agents fails louder elsewhere; the app still opens.
    await scheduler?.start().catch((err: unknown) => ctx.logger.error('could not plan the scheduled runs', err));
    await bundle.runtime.resumeUnattendedApprovals().catch((err: unknown) => ctx.logger.error('could not resume the approval deadlines of scheduled runs', err));
    return {
      handlers: bundle.handlers as Partial<Handlers>,
      // Jobs first, so no scheduled run starts while the runtime winds down.
      close: async () => {
        await scheduler?.stop();
        await bundle.close();
      },
    };
  };
}
