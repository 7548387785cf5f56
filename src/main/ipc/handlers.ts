// The one handler registry: every contract channel bound to the service that serves it (see
// bind.ts). Inputs arrive validated (defaults applied) from the dispatcher; no rule lives here.
// A channel whose method is named like the service's is one more name in a list; the few that
// differ (another domain's name, another argument) are one line each below.
import type { Runtime } from '../runtime/runner';
import type { AttentionPrefs } from '../runtime/notify/attention';
import { BUILTIN_TOOLS } from '../runtime/tools';
import type {
  AgentsService,
  ApprovalRulesService,
  BudgetsService,
  SchedulesService,
  LogsService,
  McpServersService,
  ProvidersService,
  SessionsService,
  StorageService,
  SystemService,
  TraceService,
} from '../services';
import type { InterchangeService } from '../services/interchange';
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
  trace: TraceService;
  schedules: SchedulesService;
  budgets: BudgetsService;
  /** Drives runs: the sessions.start/send/stop/resume/approve/deny channels. */
  runtime: Runtime;
  storage: StorageService;
  interchange: InterchangeService;
  /** The per-agent notification switch, as the windows report it (desktop notifications read it). */
  attention: AttentionPrefs;
}

export function createHandlers(s: CoreServices): Handlers {
  return {
    ...bindService('agents', s.agents, ['list', 'create', 'update', 'purge', 'duplicate', 'import', 'confirmImport', 'sessionCounts']),
    ...bindById('agents', s.agents, ['get', 'remove', 'restore', 'versions', 'export']),

    ...bindService('sessions', s.sessions, ['list', 'create', 'update', 'import', 'fork', 'pin', 'tag', 'tags']),
    ...bindById('sessions', s.sessions, ['get', 'remove', 'restore', 'purge', 'archive', 'unarchive', 'export']),
    ...bindService('sessions', s.runtime, ['start', 'send', 'approve', 'deny', 'retry']),
    ...bindById('sessions', s.runtime, ['stop', 'resume']),

    ...bindService('logs', s.logs, ['page', 'whole', 'children', 'search', 'searchPage']),
    ...bindById('logs', s.logs, ['locate', 'get']),
    'logs.tree': ({ sessionId }) => s.logs.tree(sessionId),
    'logs.count': ({ sessionId }) => s.logs.count(sessionId),
    'logs.chunks': ({ nodeId }) => s.logs.chunks(nodeId),

    'db.status': () => s.system.dbStatus(),
    'app.info': () => s.system.appInfo(),
    'app.notifyPrefs': ({ mutedAgentIds }) => {
      s.attention.setMuted(mutedAgentIds);
      return null;
    },

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

    ...bindService('trace', s.trace, ['usage', 'replay']),
    ...bindService('storage', s.storage, ['health', 'checkNow', 'repair', 'exportReadable', 'overview', 'compact', 'settings', 'saveSettings',
      'retentionPreview', 'retentionRun', 'backups', 'backupNow', 'verifyBackup', 'inspectBackup', 'restoreBackup']),
    ...bindService('interchange', s.interchange, ['findHistories', 'importFile', 'importText', 'export', 'cancel', 'source']),
    'rules.list': (input) => s.approvalRules.listFor(input),
    'rules.save': (input) => s.approvalRules.save(input),
    'rules.remove': ({ id }) => s.approvalRules.remove(id),
    'rules.test': (input) => s.approvalRules.test(input),

    ...bindService('schedules', s.schedules, ['get', 'savePolicy', 'history']),
    ...bindService('budgets', s.budgets, ['list', 'save', 'status']),
    'budgets.remove': ({ id }) => s.budgets.remove(id),
  };
}
