// The one handler registry: every contract channel bound to the service that serves it (see
// bind.ts). Inputs arrive validated (defaults applied) from the dispatcher; no rule lives here.
// A channel whose method is named like the service's is one more name in a list; the few that
// differ (another domain's name, another argument) are one line each below.
import type { Runtime } from '../runtime/runner';
import { BUILTIN_TOOLS } from '../runtime/tools';
import type {
  AgentsService,
  ApprovalRulesService,
  LogsService,
  McpServersService,
  ProvidersService,
  SessionsService,
  SystemService,
} from '../services';
import { bindById, bindService } from './bind';
import type { Handlers } from './dispatcher';

export interface CoreServices {
  agents: AgentsService;
  sessions: SessionsService;
  logs: LogsService;
  system: SystemService;
  providers: ProvidersService;
  mcpServers: McpServersService;
  approvalRules: ApprovalRulesService;
  /** Drives runs: the sessions.start/send/stop/resume/approve/deny channels. */
  runtime: Runtime;
}

export function createHandlers(s: CoreServices): Handlers {
  return {
    ...bindService('agents', s.agents, ['list', 'create', 'update', 'purge', 'duplicate', 'import', 'confirmImport']),
    ...bindById('agents', s.agents, ['get', 'remove', 'restore', 'versions', 'export']),

    ...bindService('sessions', s.sessions, ['list', 'create', 'update', 'import', 'fork']),
    ...bindById('sessions', s.sessions, ['get', 'remove', 'restore', 'purge', 'archive', 'unarchive', 'export']),
    ...bindService('sessions', s.runtime, ['start', 'send', 'approve', 'deny']),
    ...bindById('sessions', s.runtime, ['stop', 'resume']),

    ...bindService('logs', s.logs, ['page', 'whole', 'children', 'search']),
    ...bindById('logs', s.logs, ['locate', 'get']),
    'logs.tree': ({ sessionId }) => s.logs.tree(sessionId),
    'logs.count': ({ sessionId }) => s.logs.count(sessionId),
    'logs.chunks': ({ nodeId }) => s.logs.chunks(nodeId),

    'db.status': () => s.system.dbStatus(),
    'app.info': () => s.system.appInfo(),

    ...bindService('providers', s.providers, ['list', 'save', 'test']),
    ...bindById('providers', s.providers, ['remove', 'models']),

    'runtime.tools': () => BUILTIN_TOOLS.map((t) => ({ name: t.name, description: t.description, effect: t.effect })),
    'runtime.mcpList': () => s.mcpServers.list(),
    'runtime.mcpSave': (input) => s.mcpServers.save(input),
    'runtime.mcpRemove': ({ id }) => s.mcpServers.remove(id),
    'runtime.mcpApprove': (input) => s.mcpServers.approve(input),
    'runtime.mcpTools': ({ id }) => s.mcpServers.tools(id),
    'runtime.rules': (input) => s.approvalRules.list(input),
    'runtime.removeRule': ({ id }) => s.approvalRules.remove(id),
  };
}
