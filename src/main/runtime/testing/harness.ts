// Test-only: a migrated file database, the real repositories and log writer, a provider test
// server on 127.0.0.1 and a Runtime wired to all of them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentConfig, LogNode, SessionStatus, SessionWithConfig } from '../../../shared/domain';
import type { ProviderKind, ProviderModel } from '../../../shared/ipc/channels/providers';
import { LogWriter } from '../../logs/writer';
import { LogsRepository } from '../../logs/repository';
import { recoverInterrupted } from '../../logs/recovery';
import { openRepoTestDb, type RepoTestDb } from '../../repositories/testing';
import { createMemorySecretStore, type SecretStore } from '../../secrets/secretStore';
import type { Runtime, RuntimeDeps } from '../runner';
import type { ApprovalRulesRepository } from '../../repositories/approvalRules';
import type { McpServersRepository } from '../../repositories/mcpServers';
import type { ProvidersRepository } from '../../repositories/providers';
import { EventBus } from '../../ipc/events';
import { createStandaloneRuntime } from './standalone';
import { startProviderServer, type ProviderServer } from './providerServer';

export const TEST_MODEL: ProviderModel = {
  id: 'test-model',
  contextWindow: 200_000,
  // $ per million tokens: easy numbers to check cost against.
  price: { input: 3, output: 15, cachedInput: 0.3, reasoning: 15 },
};

export interface Harness {
  repo: RepoTestDb;
  logs: LogsRepository;
  writer: LogWriter;
  server: ProviderServer;
  providers: ProvidersRepository;
  mcpServers: McpServersRepository;
  rules: ApprovalRulesRepository;
  secrets: SecretStore;
  runtime: Runtime;
  providerId: string;
  /** A scratch directory, the default accessible path of agents made by newSession. */
  workDir: string;
  events: { event: string; payload: unknown }[];
  /** Calls `fn` synchronously on every event as it is emitted; returns the unsubscribe. */
  onEvent(fn: (event: string, payload: unknown) => void): () => void;
  newSession(config?: Partial<AgentConfig>): Promise<SessionWithConfig>;
  /** Resolves when the session reaches one of these statuses (by the runtime's own events). */
  waitForStatus(sessionId: string, ...statuses: SessionStatus[]): Promise<SessionWithConfig>;
  tree(sessionId: string): Promise<LogNode[]>;
  /**
   * "Restarts" the app: the old process is gone (its runtime and writer are simply abandoned), so
   * run the start-up sweep and build a new writer and runtime on the same database. cleanup()
   * closes them.
   */
  restart(): Promise<{ runtime: Runtime; writer: LogWriter }>;
  cleanup(): Promise<void>;
}

// eslint-disable-next-line max-lines-per-function -- a test fixture assembling one real runtime (database, writer, provider server, services) and its restart; the steps only make sense together
export async function createHarness(opts: { kind?: ProviderKind; apiKey?: string; serverKey?: string; runtime?: Partial<Omit<RuntimeDeps, 'events' | 'statuses'>> } = {}): Promise<Harness> {
  const repo = await openRepoTestDb();
  const writer = await LogWriter.open({ url: repo.db.url }, { flushIntervalMs: 10 });
  const logs = new LogsRepository(repo.client);
  const server = await startProviderServer({ apiKey: opts.serverKey ?? 'sk-test', models: ['test-model', 'other-model'] });
  const { providers, mcpServers, approvalRules: rules } = repo;
  const secrets = createMemorySecretStore();
  const provider = await providers.save({
    name: 'Test provider',
    kind: opts.kind ?? 'openai-compatible',
    baseURL: server.baseURL,
    defaultModel: 'test-model',
    models: [TEST_MODEL],
  });
  await secrets.set(provider.id, opts.apiKey ?? 'sk-test');
  await providers.setHasKey(provider.id, true);
  const workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-run-')));
  const events: { event: string; payload: unknown }[] = [];
  const statusWaiters: { sessionId: string; statuses: SessionStatus[]; resolve: () => void }[] = [];
  const deps = { client: repo.client, secrets, maxRetries: 0 };
  const restarted: { runtime: Runtime; writer: LogWriter }[] = [];
  // The events the core would push to windows: status changes come from the sessions service.
  const bus = new EventBus({ error: () => undefined });
  bus.subscribe((event, payload) => {
    events.push({ event, payload });
    if (event !== 'sessions.statusChanged') return;
    const p = payload as { sessionId: string; to: SessionStatus };
    for (const w of [...statusWaiters]) {
      if (w.sessionId === p.sessionId && w.statuses.includes(p.to)) {
        statusWaiters.splice(statusWaiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const { runtime } = createStandaloneRuntime({ ...deps, writer, events: bus, ...opts.runtime });
  return {
    repo,
    logs,
    writer,
    server,
    providers,
    mcpServers,
    rules,
    secrets,
    runtime,
    providerId: provider.id,
    workDir,
    events,
    onEvent: (fn) => bus.subscribe(fn),
    async newSession(config = {}) {
      const agent = await repo.agents.create({
        name: `agent ${Math.random().toString(36).slice(2, 8)}`,
        model: `${provider.id}:test-model`,
        accessiblePaths: [workDir],
        builtinTools: ['read_file', 'list_directory', 'write_file', 'edit_file', 'run_shell'],
        permissionMode: 'ask',
        ...config,
      });
      return repo.sessions.create({ agentId: agent.id, name: 'test session' });
    },
    async waitForStatus(sessionId, ...statuses) {
      const current = await repo.sessions.get(sessionId);
      if (statuses.includes(current.status)) return current;
      await new Promise<void>((resolve) => statusWaiters.push({ sessionId, statuses, resolve }));
      return repo.sessions.get(sessionId);
    },
    async tree(sessionId) {
      await writer.flush();
      return logs.tree(sessionId);
    },
    async restart() {
      await recoverInterrupted(repo.client);
      const writer2 = await LogWriter.open({ url: repo.db.url }, { flushIntervalMs: 10 });
      const next = { runtime: createStandaloneRuntime({ ...deps, writer: writer2 }).runtime, writer: writer2 };
      restarted.push(next);
      return next;
    },
    async cleanup() {
      try {
        for (const r of restarted) {
          await r.runtime.close();
          await r.writer.close();
        }
      } finally {
        await runtime.close();
        await server.close();
        await writer.close().catch(() => undefined);
        await repo.db.cleanup();
        fs.rmSync(workDir, { recursive: true, force: true });
      }
    },
  };
}

/** The nodes of a tree as compact "kind:status" strings in tree order, for readable assertions. */
export function shape(nodes: readonly LogNode[]): string[] {
  return nodes.map((n) => `${'  '.repeat(n.depth)}${n.kind}:${n.status}${n.toolName ? `(${n.toolName})` : ''}`);
}
