export { AgentsService } from './agents';
export { SessionsService } from './sessions';
export { LogsService, publishLogCommit } from './logs';
export { SystemService } from './system';
