// What the composition root (core.ts) needs to build the agent runtime: where API keys are kept,
// the start-up sweep of tool commands a crashed process left running, and the cron scheduler.
import path from 'node:path';
import type { IpcLogger } from '../ipc/errors';
import type { EventSource } from '../ipc/events';
import type { AgentsRepository } from '../repositories/agents';
import { createEncryptedFileSecretStore, createFileSecretStore, createMemorySecretStore, type SecretBoxLike, type SecretStore } from '../secrets/secretStore';
import type { Runtime } from './runner';
import { AgentScheduler, type CreateJob, type SchedulerDeps } from './scheduler';
import { forwardRunStatusChanges, type HistoryEmit } from './schedule/history-events';
import { TOOL_PROCESSES_FILE, ToolProcesses } from './tools';

export const SECRETS_FILE = 'secrets.json';
export const ENCRYPTED_SECRETS_FILE = 'secrets.enc.json';

/** The hosts' (and tests') say in how the runtime runs. */
export interface RuntimeOptions {
  /** Overrides the default store (tests, or a custom keychain). */
  secrets?: SecretStore;
  /** Electron: encrypt keys with safeStorage (createSafeStorageSecretBox(safeStorage)). */
  secretBox?: SecretBoxLike;
  /** When it returns false, waiting approvals time out like in an unattended run. */
  isUiAttached?: () => boolean;
  /** Retries of a failed model request (AI SDK default 2; tests use 0). */
  maxRetries?: number;
  /**
   * Runs agents on their cron schedule (default on). `false` turns it off; `createJob` replaces
   * croner (tests fire jobs by hand).
   */
  scheduler?: false | { createJob?: CreateJob };
}

/**
 * Keys live beside the database: `secrets.json` (0600) in the browser host, `secrets.enc.json`
 * (0600, safeStorage-encrypted values) on the desktop; in memory only for a remote database.
 */
export function openSecretStore(opts: RuntimeOptions, dataDir: string | null, logger: IpcLogger): SecretStore {
  if (opts.secrets) return opts.secrets;
  if (!dataDir) {
    logger.warn?.('No data directory (remote database): API keys are kept in memory only.');
    return createMemorySecretStore();
  }
  return opts.secretBox
    ? createEncryptedFileSecretStore(path.join(dataDir, ENCRYPTED_SECRETS_FILE), opts.secretBox)
    : createFileSecretStore(path.join(dataDir, SECRETS_FILE));
}

/** Before any run: ends the tool commands a crashed previous process left running. */
export function sweepToolProcesses(dataDir: string | null, logger: IpcLogger): ToolProcesses {
  const processes = new ToolProcesses(dataDir ? path.join(dataDir, TOOL_PROCESSES_FILE) : null);
  const leftovers = processes.sweepLeftovers();
  if (leftovers > 0) logger.warn?.(`Ended ${leftovers} tool command process group(s) left running by a previous Paddock that did not shut down.`);
  return processes;
}

export interface RuntimeStartDeps {
  runtime: Runtime;
  agents: AgentsRepository;
  schedules: SchedulerDeps['schedules'] & { agentOfRun(sessionId: string): Promise<string | null> };
  sessions: SchedulerDeps['sessions'];
  events: EventSource;
  /** Pushes `schedules.history` to the windows (the run history updates live). */
  emitHistory?: HistoryEmit;
  logger: IpcLogger;
}

/**
 * Plans the scheduled runs and re-arms the approval deadlines of unattended runs. Returns the
 * runtime's close: jobs first, so no scheduled run starts while the runtime winds down.
 */
export async function startRuntime(opts: RuntimeOptions, deps: RuntimeStartDeps): Promise<() => Promise<void>> {
  const { runtime, logger } = deps;
  const scheduler =
    opts.scheduler === false
      ? null
      : new AgentScheduler({
          agents: deps.agents,
          schedules: deps.schedules,
          sessions: deps.sessions,
          runtime,
          events: deps.events,
          logger,
          ...(deps.emitHistory ? { onHistory: (agentId: string) => deps.emitHistory?.({ agentId, sessionId: null }) } : {}),
          ...(opts.scheduler?.createJob ? { createJob: opts.scheduler.createJob } : {}),
        });
  const emitHistory = deps.emitHistory;
  const stopForwarding = emitHistory ? forwardRunStatusChanges({ events: deps.events, emit: emitHistory, agentOfRun: (id) => deps.schedules.agentOfRun(id), logger }) : () => undefined;
  // A database that cannot list agents fails louder elsewhere; the app still opens.
  await scheduler?.start().catch((err: unknown) => logger.error('could not plan the scheduled runs', err));
  await runtime.resumeUnattendedApprovals().catch((err: unknown) => logger.error('could not resume the approval deadlines of scheduled runs', err));
  return async () => {
    await scheduler?.stop();
    await runtime.close();
    stopForwarding();
  };
}
