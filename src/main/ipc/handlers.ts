// Contract channel -> service method. Inputs arrive validated (defaults applied) from the
// dispatcher; no rule lives here.
import type { AgentsChannel } from '../../shared/ipc/channels/agents';
import type { AppChannel } from '../../shared/ipc/channels/app';
import type { DbChannel } from '../../shared/ipc/channels/db';
import type { LogsChannel } from '../../shared/ipc/channels/logs';
import type { SessionsChannel } from '../../shared/ipc/channels/sessions';
import type { AgentsService, LogsService, SessionsService, SystemService } from '../services';
import type { Handlers } from './dispatcher';

export interface CoreServices {
  agents: AgentsService;
  sessions: SessionsService;
  logs: LogsService;
  system: SystemService;
}

/** The core domains' own channels; the runtime plugin (src/main/runtime/service.ts) serves the rest. */
type CoreChannel = AgentsChannel | SessionsChannel | LogsChannel | DbChannel | AppChannel;
export type CoreHandlers = Pick<Handlers, Extract<keyof Handlers, CoreChannel>>;

export function createCoreHandlers(s: CoreServices): CoreHandlers {
  return {
    'agents.list': (input) => s.agents.list(input),
    'agents.get': ({ id }) => s.agents.get(id),
    'agents.create': (input) => s.agents.create(input),
    'agents.update': (input) => s.agents.update(input),
    'agents.remove': ({ id }) => s.agents.remove(id),
    'agents.restore': ({ id }) => s.agents.restore(id),
    'agents.purge': (input) => s.agents.purge(input),
    'agents.duplicate': (input) => s.agents.duplicate(input),
    'agents.versions': ({ id }) => s.agents.versions(id),
    'agents.export': ({ id }) => s.agents.export(id),
    'agents.import': (input) => s.agents.import(input),
    'agents.confirmImport': (input) => s.agents.confirmImport(input),

    'sessions.list': (input) => s.sessions.list(input),
    'sessions.get': ({ id }) => s.sessions.get(id),
    'sessions.create': (input) => s.sessions.create(input),
    'sessions.update': (input) => s.sessions.update(input),
    'sessions.remove': ({ id }) => s.sessions.remove(id),
    'sessions.restore': ({ id }) => s.sessions.restore(id),
    'sessions.purge': ({ id }) => s.sessions.purge(id),
    'sessions.archive': ({ id }) => s.sessions.archive(id),
    'sessions.unarchive': ({ id }) => s.sessions.unarchive(id),
    'sessions.export': ({ id }) => s.sessions.export(id),
    'sessions.import': (input) => s.sessions.import(input),

    'logs.tree': ({ sessionId }) => s.logs.tree(sessionId),
    'logs.page': (input) => s.logs.page(input),
    'logs.whole': (input) => s.logs.whole(input),
    'logs.children': (input) => s.logs.children(input),
    'logs.search': (input) => s.logs.search(input),
    'logs.locate': ({ id }) => s.logs.locate(id),
    'logs.get': ({ id }) => s.logs.get(id),
    'logs.count': ({ sessionId }) => s.logs.count(sessionId),
    'logs.chunks': ({ nodeId }) => s.logs.chunks(nodeId),

    'db.status': () => s.system.dbStatus(),
    'app.info': () => s.system.appInfo(),
  };
}
