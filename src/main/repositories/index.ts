// One place that builds every repository on a client. Services receive the bundle, not SQL.
//
// Conventions of the data layer (repositories/, logs/ read side, db/migrator), for every new
// repository (providers, MCP servers, approval rules…):
// - All SQL of a table lives in its `<domain>.ts` module (split the SELECT/row shape into
//   `<domain>-sql.ts` when the module grows); nothing above the data layer writes SQL.
// - Constructors take a ReadHandle or WriteHandle (handles.ts), the parts of Client they use.
// - Rows are read with db/rows.ts (str/num/bool/json…, decodeRow, scalar): no casts, no String(r.x).
// - Failures are DataError (db/errors.ts) with a stable code and structured `details`; build
//   them with notFound() / mapSqliteError() (errors.ts). Never throw the IPC's PaddockError here.
// - Validate once: inputs arrive as the contract's validated types (zod output of
//   src/shared/ipc); do not re-check them. A caller without the contract in front (file import,
//   runtime) parses with the same zod schema at its own boundary. SQL CHECKs are the last line.

import type { Client } from '@libsql/client';
import { AgentsRepository } from './agents.js';
import { ApprovalRulesRepository } from './approvalRules.js';
import { McpServersRepository } from './mcpServers.js';
import { ProvidersRepository } from './providers.js';
import { SchedulesRepository } from './schedules.js';
import { BudgetsRepository } from './budgets.js';
import { SessionsRepository } from './sessions.js';
import { UsageRepository } from './usage.js';

export interface Repositories {
  agents: AgentsRepository;
  sessions: SessionsRepository;
  providers: ProvidersRepository;
  mcpServers: McpServersRepository;
  approvalRules: ApprovalRulesRepository;
  usage: UsageRepository;
  schedules: SchedulesRepository;
  budgets: BudgetsRepository;
  // Add further repositories here (e.g. the session log store from src/main/logs).
}

export function createRepositories(client: Client): Repositories {
  return {
    agents: new AgentsRepository(client),
    sessions: new SessionsRepository(client),
    providers: new ProvidersRepository(client),
    mcpServers: new McpServersRepository(client),
    approvalRules: new ApprovalRulesRepository(client),
    usage: new UsageRepository(client),
    schedules: new SchedulesRepository(client),
    budgets: new BudgetsRepository(client),
    // ...and construct them here.
  };
}

export { AgentsRepository, AGENT_SORTS, configOf } from './agents.js';
export type { AgentFilter, AgentListOptions, AgentSort, AgentUpdateOptions, PurgeOptions, PurgeResult } from './agents.js';
export { SessionsRepository, SESSION_SORTS, ENDED_STATUSES } from './sessions.js';
export { SessionMarksRepository } from './session-marks.js';
export type { ReadHandle, WriteHandle } from './handles.js';
export type { CreateSessionInput, SessionFilter, SessionListOptions, SessionSort, TransitionOptions, UpdateSessionInput, UsageDeltaInput } from './sessions.js';
export { ProvidersRepository, type ProviderWrite } from './providers.js';
export { McpServersRepository, launchFingerprint, type McpServerWrite } from './mcpServers.js';
export { ApprovalRulesRepository } from './approvalRules.js';
export { UsageRepository, NOT_PER_CALL, type UsageRange } from './usage.js';
export { SchedulesRepository } from './schedules.js';
export { BudgetsRepository } from './budgets.js';
export { DataError, isDataError, type DataErrorCode } from './errors.js';
export { effectiveConfig } from './effective-config.js';
export { DEFAULT_AGENT_CONFIG } from './validation.js';
export type { SortDirection } from './rows.js';
