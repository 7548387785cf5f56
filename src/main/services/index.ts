export { AgentsService } from './agents';
export { SessionsService } from './sessions';
export { LogsService, publishLogCommit } from './logs';
export { SystemService } from './system';
export { ProvidersService } from './providers';
export { McpServersService } from './mcpServers';
export { ApprovalRulesService } from './approvalRules';
export { SchedulesService } from './schedules';
export { BudgetsService } from './budgets';
