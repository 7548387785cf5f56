// The composition root shared by both hosts: opens (and migrates) the database, recovers what
// a dead process left open, builds repositories, services, the log writer and the event bus,
// and exposes one `dispatch` for the contract. Plain Node: no electron import.
import { AttentionPrefs } from './runtime/notify/attention';
import { refineTitle } from './runtime/title/refine';
import path from 'node:path';
import type { Client } from '@libsql/client';
import type { AppInfo } from '../shared/ipc';
import { localPathOf, locationFromPath, type DatabaseLocation } from './db/connection';
import { openDatabase, type OpenDatabase } from './db/database';
import type { MigrationProgress } from './db/migrator';
import { createDispatch, type Dispatch } from './ipc/dispatcher';
import { consoleLogger, type IpcLogger } from './ipc/errors';
import { EventBus, type EventSource } from './ipc/events';
import { isAutomaticName, startSessionTitles } from './services/titles';
import { createHandlers, type CoreServices } from './ipc/handlers';
import { LogWriter, LogsRepository, openWorkerConnection, recoverInterrupted, type RecoveryResult } from './logs';
import { createRepositories, type Repositories } from './repositories';
import { ImportsRepository } from './repositories/imports';
import { RetentionRepository } from './repositories/retention';
import { createInterchangeService } from './services/interchange-wiring';
import { McpPool } from './runtime/mcp/client';
import { Runtime } from './runtime/runner';
import { openSecretStore, startRuntime, sweepToolProcesses, type RuntimeOptions } from './runtime/setup';
import {
  AgentsService,
  ApprovalRulesService,
  TraceService,
  BudgetsService,
  LogsService,
  McpServersService,
  ProvidersService,
  SchedulesService,
  SessionsService,
  StorageService,
  SystemService,
  publishLogCommit,
} from './services';
import { writerTurn } from './services/storage';
import { applyPendingRestore } from './services/backups';
import { watchWriterHealth } from './services/writer-health';
import { SearchTermsJob } from './logs/search-terms-job';

export const DATABASE_FILE = 'paddock.db';

export interface PaddockCoreOptions {
  /** The folder holding paddock.db (and its backups). Ignored when dbUrl is given. */
  dataDir?: string;
  /** A libsql URL (file:, libsql://, https://...) instead of <dataDir>/paddock.db. */
  dbUrl?: string;
  authToken?: string;
  host: AppInfo['host'];
  logger?: IpcLogger;
  onMigrationProgress?: (event: MigrationProgress) => void;
  /** How the agent runtime keeps keys, retries, schedules and decides who can answer approvals. */
  runtime?: RuntimeOptions;
}

export interface PaddockCore {
  client: Client;
  location: DatabaseLocation;
  repositories: Repositories;
  logs: LogsRepository;
  logWriter: LogWriter;
  services: CoreServices;
  events: EventBus;
  logger: IpcLogger;
  dataDir: string | null;
  dispatch: Dispatch;
  subscribe: EventSource;
  recovery: RecoveryResult;
  database: OpenDatabase;
  /** Stops the runtime, flushes the log writer and closes the database. Idempotent. */
  close(): Promise<void>;
}

function resolveLocation(options: PaddockCoreOptions): DatabaseLocation {
  if (options.dbUrl) return { url: options.dbUrl, ...(options.authToken ? { authToken: options.authToken } : {}) };
  if (!options.dataDir) throw new Error('createPaddockCore needs a dataDir or a dbUrl');
  return locationFromPath(path.join(options.dataDir, DATABASE_FILE));
}

/** Opens (restoring a pending backup first, and migrating) the database the options name. */
async function openStore(options: PaddockCoreOptions, location: DatabaseLocation, logger: IpcLogger): Promise<OpenDatabase> {
  const dbPath = localPathOf(location.url);
  // A restore chosen in the app swaps the file here, before anything opens the database.
  const restored = dbPath ? await applyPendingRestore(dbPath) : null;
  if (restored) logger.warn?.(`database restored from backup ${path.basename(restored)}`);
  // A new database gives deleted data back to the file system (docs/storage.md).
  if (dbPath) RetentionRepository.createIncremental(dbPath);
  const database = await openDatabase({
    location,
    ...(options.onMigrationProgress ? { onProgress: options.onMigrationProgress } : {}),
  });
  // E.g. an empty paddock.db started afresh: logged here, and on `database.notices` for the host.
  for (const notice of database.notices) logger.warn?.('database', notice);
  return database;
}

/** Close steps run in reverse order of adding; a failing one is logged and the rest still run. */
function closerStack(logger: IpcLogger) {
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.error('error while closing Paddock', error);
      }
    }
  };
  return { push: (close: () => Promise<void>) => void closers.push(close), closeAll };
}

/** What the services are built from: the data layer, the writer and the runtime's parts. */
interface Wiring {
  options: PaddockCoreOptions;
  location: DatabaseLocation;
  database: OpenDatabase;
  repositories: Repositories;
  logs: LogsRepository;
  imports: ImportsRepository;
  events: EventBus;
  logWriter: LogWriter;
  logger: IpcLogger;
  dataDir: string | null;
  secrets: ReturnType<typeof openSecretStore>;
  mcpPool: McpPool;
  sessions: SessionsService;
  runtime: Runtime;
}

function createRuntime(w: Omit<Wiring, 'runtime'>, processes: ReturnType<typeof sweepToolProcesses>): Runtime {
  const { repositories, options } = w;
  const runtimeOptions = options.runtime ?? {};
  return new Runtime({
    sessions: repositories.sessions,
    statuses: w.sessions,
    logs: w.logs,
    writer: w.logWriter,
    providers: repositories.providers,
    mcpServers: repositories.mcpServers,
    rules: repositories.approvalRules,
    budgets: repositories.budgets,
    secrets: w.secrets,
    events: w.events,
    mcpPool: w.mcpPool,
    processes,
    ...(runtimeOptions.isUiAttached ? { isUiAttached: runtimeOptions.isUiAttached } : {}),
    ...(runtimeOptions.maxRetries !== undefined ? { maxRetries: runtimeOptions.maxRetries } : {}),
  });
}

function createServices(w: Wiring): CoreServices {
  const { repositories, logs, imports, events, logWriter, logger, location, dataDir, sessions } = w;
  const { client } = w.database;
  const dbPath = localPathOf(location.url);
  return {
    agents: new AgentsService({ agents: repositories.agents, imports, events, rules: repositories.approvalRules }),
    sessions,
    logs: new LogsService(logs),
    system: new SystemService({ url: location.url, migrationStatus: () => w.database.status, host: w.options.host, dataDir }),
    providers: new ProvidersService({ providers: repositories.providers, secrets: w.secrets, events }),
    mcpServers: new McpServersService({ mcpServers: repositories.mcpServers, pool: w.mcpPool }),
    trace: new TraceService({ usage: repositories.usage, logs }),
    approvalRules: new ApprovalRulesService({ rules: repositories.approvalRules, agents: repositories.agents, mcpServers: repositories.mcpServers, events }),
    schedules: new SchedulesService({ schedules: repositories.schedules, agents: repositories.agents, events }),
    budgets: new BudgetsService({ budgets: repositories.budgets, sessions: repositories.sessions, events }),
    runtime: w.runtime,
    storage: new StorageService({ client, dbPath, events, logger, writerIdle: () => logWriter.openNodeIds().length === 0, exportSession: (id) => sessions.export(id), writerTurn: () => writerTurn(logWriter), ...(dbPath ? { openCheckConnection: () => openWorkerConnection(location.url) } : {}) }),
    interchange: createInterchangeService({ client, repositories, imports, events, dataDir }),
    attention: new AttentionPrefs(),
  };
}

/** After-launch work: automatic session titles and the search term dictionary. Returns their stops. */
function startBackgroundJobs(w: Wiring): Array<() => Promise<void>> {
  const { sessions, repositories, logger } = w;
  const warn = { warn: (m: string, e?: unknown) => (logger.warn ?? logger.error)(m, e) };
  const refine = (sessionId: string) =>
    refineTitle(
      {
        sessions: { get: (id) => sessions.get(id), rename: (id, name) => sessions.update({ id, patch: { name } }), addUsage: (id, u) => repositories.sessions.addUsage(id, u) },
        logs: w.logs,
        writer: w.logWriter,
        providers: repositories.providers,
        secrets: w.secrets,
        isAutomaticName,
        logger: warn,
      },
      sessionId,
    );
  const stopTitles = startSessionTitles({ sessions, events: w.events.subscribe, logger: warn, refine });
  // The search term dictionary is completed after launch, never before the window is usable.
  const searchTerms = new SearchTermsJob(w.database.client, { onError: (e) => (logger.warn ?? logger.error)('search term dictionary', e) });
  searchTerms.start();
  return [async () => stopTitles(), () => searchTerms.stop()];
}

export async function createPaddockCore(options: PaddockCoreOptions): Promise<PaddockCore> {
  const logger = options.logger ?? consoleLogger;
  const location = resolveLocation(options);
  const database = await openStore(options, location, logger);
  // Closed last (closers run in reverse): after the runtime and the log writer have flushed and
  // closed, so its WAL checkpoint moves everything into paddock.db.
  const closers = closerStack(logger);
  closers.push(() => database.close());
  try {
    const { client } = database;
    // Before any writer starts: whatever a dead process left open is interrupted, text kept.
    const recovery = await recoverInterrupted(client);
    const repositories = createRepositories(client);
    const logs = new LogsRepository(client);
    const imports = new ImportsRepository(client);
    const events = new EventBus(logger);
    const logWriter = await LogWriter.open(location);
    closers.push(() => logWriter.close());
    logWriter.on('commit', (commit) => publishLogCommit(events, commit));
    watchWriterHealth(logWriter, logger, (problem) => events.emit('app.storageProblem', { problem }));

    const dataDir = options.dbUrl ? null : (options.dataDir ?? null);
    const runtimeOptions = options.runtime ?? {};
    const secrets = openSecretStore(runtimeOptions, dataDir, logger);
    // Before any run: end the tool commands a crashed previous process left running.
    const processes = sweepToolProcesses(dataDir, logger);
    const sessions = new SessionsService({ sessions: repositories.sessions, agents: repositories.agents, logs, imports, events });
    const parts = { options, location, database, repositories, logs, imports, events, logWriter, logger, dataDir, secrets, mcpPool: new McpPool(), sessions };
    const wiring: Wiring = { ...parts, runtime: createRuntime(parts, processes) };
    const services = createServices(wiring);
    // Launch self-check (cheap; the deep one runs in the background): a problem opens the app in
    // its "storage needs attention" state instead of showing an empty or partial sidebar.
    await services.storage.quickCheck();
    services.storage.start();
    closers.push(async () => services.storage.stop());
    for (const stop of startBackgroundJobs(wiring)) closers.push(stop);
    // Closed first (closers run in reverse): running sessions end 'interrupted' while the
    // writer can still take their last nodes.
    closers.push(
      await startRuntime(runtimeOptions, { runtime: wiring.runtime, agents: repositories.agents, schedules: repositories.schedules, sessions, events: events.subscribe, emitHistory: (p) => events.emit('schedules.history', p), logger }),
    );

    let closing: Promise<void> | null = null;
    return {
      client,
      location,
      repositories,
      logs,
      logWriter,
      services,
      events,
      logger,
      dataDir,
      recovery,
      database,
      dispatch: createDispatch(createHandlers(services), logger),
      subscribe: events.subscribe,
      close: () => (closing ??= closers.closeAll()),
    };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
