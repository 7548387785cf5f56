// The shapes a run is made of, shared by the Runtime facade (../runner.ts) and the pieces of the
// run loop in this folder.
import type { BudgetsRepository } from '../../repositories/budgets';
import type { LanguageModel, ToolSet } from 'ai';
import type { AgentConfig, JsonValue, LogNode, Page, Session, SessionStatus, SessionWithConfig } from '../../../shared/domain';
import type { Provider, ProviderModel } from '../../../shared/ipc/channels/providers';
import type { EventBus } from '../../ipc/events';
import type { LogWriter } from '../../logs/writer';
import type { SecretStore } from '../../secrets/secretStore';
import type { ApprovalRulesRepository } from '../../repositories/approvalRules';
import type { McpServersRepository } from '../../repositories/mcpServers';
import type { ProvidersRepository } from '../../repositories/providers';
import type { McpPool } from '../mcp/client';
import type { PathSandbox, ToolDef, ToolProcesses } from '../tools';

/** Unattended runs deny a waiting call after this long unless the agent's settings say otherwise. */
export const DEFAULT_UNATTENDED_APPROVAL_TIMEOUT_MS = 5 * 60_000;

/** What the runtime reads of sessions, and their usage totals (the sessions repository). */
export interface RuntimeSessions {
  get(id: string): Promise<SessionWithConfig>;
  list(opts: { status: SessionStatus[]; limit: number; cursor?: string | null }): Promise<Page<Session>>;
  addUsage(id: string, usage: { tokensIn?: number; tokensOut?: number; tokensReasoning?: number; tokensCached?: number; costUsd?: number }): Promise<void>;
}

/**
 * Where status changes go (SessionsService.transition): it checks the move is allowed and tells
 * every window (sessions.statusChanged). The runtime never writes a status any other way.
 */
export interface SessionStatuses {
  transition(id: string, to: SessionStatus, opts?: { error?: string | null; result?: string | null }): Promise<SessionWithConfig>;
}

export interface RuntimeLogs {
  tree(sessionId: string): Promise<LogNode[]>;
  get(nodeId: string): Promise<LogNode | null>;
  /** The session's newest n nodes (by start time). */
  latest(sessionId: string, n: number): Promise<LogNode[]>;
}

export interface RuntimeDeps {
  sessions: RuntimeSessions;
  statuses: SessionStatuses;
  logs: RuntimeLogs;
  writer: LogWriter;
  providers: ProvidersRepository;
  mcpServers: McpServersRepository;
  rules: ApprovalRulesRepository;
  secrets: SecretStore;
  /** Pushes sessions.usage to the windows (status events come from `statuses`). */
  events?: Pick<EventBus, 'emit'>;
  /** When it returns false, waiting approvals time out like in an unattended run. */
  isUiAttached?: () => boolean;
  /** Retries of a failed model request (AI SDK default 2; tests use 0). */
  maxRetries?: number;
  unattendedApprovalTimeoutMs?: number;
  mcpPool?: McpPool;
  /** Records the process groups of tool commands (in the data folder, for crash cleanup). */
  processes?: ToolProcesses;
  /** Budgets checked before each model call (budget/guard.ts); none when absent. */
  budgets?: BudgetStore;
  /** The clock budgets' periods are read on (tests). */
  now?: () => Date;
}

/** What the run loop needs of the budgets repository. */
export type BudgetStore = Pick<BudgetsRepository, 'reserve' | 'settle' | 'uses'>;

/**
 * A follow-up sent while the run was busy (a steer), taken before the next model call. Its node
 * stays open ('streaming') until then, so the log shows it as not sent yet, and it ends when it
 * joins the conversation: the node's end is the moment the model got it.
 */
export interface QueuedMessage {
  nodeId: string;
  text: string;
}

export interface ActiveRun {
  sessionId: string;
  abort: AbortController;
  stopReason: 'stop' | 'shutdown' | null;
  done: Promise<void>;
  queue: QueuedMessage[];
  /**
   * False once the run has decided to end (or is stopping): a message sent from then on cannot
   * be read by this run, so it waits for the run to end and starts the next one instead.
   */
  accepting: boolean;
  unattended: boolean;
}

/** Everything a run resolved from the session's config before its first model call. */
export interface RunContext {
  session: SessionWithConfig;
  config: AgentConfig;
  model: LanguageModel;
  modelId: string;
  provider: Provider;
  modelInfo: ProviderModel | null;
  tools: Map<string, ToolDef>;
  aiTools: ToolSet;
  sandbox: PathSandbox;
  system: string;
  providerOptions: Record<string, Record<string, JsonValue>> | undefined;
}

/** A tool call the model made in a step, and the action node that records it. */
export interface StepCall {
  nodeId: string;
  toolCallId: string;
  toolName: string;
  args: unknown;
}

/** A reasoning block as sent back to the model (Anthropic needs the signature of its thinking). */
export interface StepReasoning {
  text: string;
  signature?: string;
}

/** Token counts of one model call, as the provider reported them (0 when it did not). */
export interface StepUsage {
  input: number;
  output: number;
  reasoning: number;
  cached: number;
}
