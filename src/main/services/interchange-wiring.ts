// Builds the interchange service from what the core already has (one line in core.ts).
import type { Client } from '@libsql/client';
import type { EventBus } from '../ipc/events';
import type { Repositories } from '../repositories';
import type { ImportsRepository } from '../repositories/imports';
import { InterchangeRepository } from '../repositories/interchange';
import { InterchangeService, defaultExportsDir } from './interchange';

export function createInterchangeService(deps: { client: Client; repositories: Repositories; imports: ImportsRepository; events: EventBus; dataDir: string | null }): InterchangeService {
  const interchange = new InterchangeRepository(deps.client);
  return new InterchangeService({
    importDeps: { client: deps.client, imports: deps.imports, agents: deps.repositories.agents, interchange },
    exportDeps: { client: deps.client, sessions: deps.repositories.sessions, agents: deps.repositories.agents, interchange },
    interchange,
    events: deps.events,
    exportsDir: defaultExportsDir(deps.dataDir),
  });
}
