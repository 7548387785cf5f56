// One place that builds every repository on a client. Services receive the bundle, not SQL.

import type { Client } from '@libsql/client';
import { AgentsRepository } from './agents.js';
import { ApprovalRulesRepository } from './approvalRules.js';
import { McpServersRepository } from './mcpServers.js';
import { ProvidersRepository } from './providers.js';
import { SessionsRepository } from './sessions.js';

export interface Repositories {
  agents: AgentsRepository;
  sessions: SessionsRepository;
  providers: ProvidersRepository;
  mcpServers: McpServersRepository;
  approvalRules: ApprovalRulesRepository;
  // Add further repositories here (e.g. the session log store from src/main/logs).
}

export function createRepositories(client: Client): Repositories {
  return {
    agents: new AgentsRepository(client),
    sessions: new SessionsRepository(client),
    providers: new ProvidersRepository(client),
    mcpServers: new McpServersRepository(client),
    approvalRules: new ApprovalRulesRepository(client),
    // ...and construct them here.
  };
}

export { AgentsRepository, AGENT_SORTS, configOf } from './agents.js';
export type { AgentFilter, AgentListOptions, AgentSort, AgentUpdateOptions, PurgeOptions, PurgeResult } from './agents.js';
export { SessionsRepository, SESSION_SORTS, ENDED_STATUSES } from './sessions.js';
export type { CreateSessionInput, SessionFilter, SessionListOptions, SessionSort, TransitionOptions, UpdateSessionInput, UsageDelta } from './sessions.js';
export { ProvidersRepository, type ProviderWrite } from './providers.js';
export { McpServersRepository, launchFingerprint, type McpServerWrite } from './mcpServers.js';
export { ApprovalRulesRepository } from './approvalRules.js';
export { DataError, isDataError, type DataErrorCode } from './errors.js';
export { effectiveConfig } from './effective-config.js';
export { DEFAULT_AGENT_CONFIG } from './validation.js';
export type { SortDirection } from './rows.js';
