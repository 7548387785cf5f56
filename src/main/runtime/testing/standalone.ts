// Test-only: a Runtime wired like core.ts does (repositories, the sessions service for status
// changes, an event bus), without the rest of the core. For the crash child and the tests that
// play "the next process" on a database another process left behind.
import type { Client } from '@libsql/client';
import { EventBus } from '../../ipc/events';
import { LogsRepository } from '../../logs/repository';
import type { LogWriter } from '../../logs/writer';
import { createRepositories } from '../../repositories';
import { ImportsRepository } from '../../repositories/imports';
import type { SecretStore } from '../../secrets/secretStore';
import { SessionsService } from '../../services/sessions';
import { Runtime, type RuntimeDeps } from '../runner';

export interface StandaloneRuntime {
  runtime: Runtime;
  events: EventBus;
  sessions: SessionsService;
}

export function createStandaloneRuntime(
  o: { client: Client; writer: LogWriter; secrets: SecretStore; events?: EventBus } & Partial<Omit<RuntimeDeps, 'writer' | 'secrets' | 'events'>>,
): StandaloneRuntime {
  const { client, events = new EventBus({ error: () => undefined }), ...deps } = o;
  const repos = createRepositories(client);
  const logs = new LogsRepository(client);
  const sessions = new SessionsService({ sessions: repos.sessions, agents: repos.agents, logs, imports: new ImportsRepository(client), events });
  const runtime = new Runtime({
    sessions: repos.sessions,
    statuses: sessions,
    logs,
    providers: repos.providers,
    mcpServers: repos.mcpServers,
    rules: repos.approvalRules,
    budgets: repos.budgets,
    events,
    ...deps,
  });
  return { runtime, events, sessions };
}
