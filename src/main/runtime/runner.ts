// The run loop (plain Node): model call -> stream everything into the log tree as it arrives ->
// settle the tool calls under the permission policy -> repeat, until the model answers without
// tools, max steps, a stop, or an error. The log tree is the source of truth: every run starts
// by rebuilding the conversation from it, which is what makes follow-ups, resume after a stop or
// a crash, and approvals after a restart all the same code path.
import { jsonSchema, streamText, tool, type LanguageModel, type AssistantModelMessage, type ModelMessage, type TextPart, type ToolCallPart, type ToolResultPart, type ToolSet } from 'ai';
import { z } from 'zod';
import type { AgentConfig, JsonValue, LogNode, Page, Session, SessionStatus, SessionWithConfig } from '../../shared/domain';
import { PaddockError } from '../../shared/ipc/result';
import { parseModelRef, type Provider, type ProviderModel } from '../../shared/ipc/channels/providers';
import type { ApprovalScope } from '../../shared/ipc/channels/runtime';
import type { RunAck } from '../../shared/ipc/channels/sessions';
import type { EventBus } from '../ipc/events';
import type { LogWriter } from '../logs/writer';
import type { SecretStore } from '../secrets/secretStore';
import { retryWhileBusy } from './busy';
import { RESUME_NOTE, rebuildConversation, type UnfinishedCall } from './conversation';
import { describeProviderError, RunConfigError, RunStopped } from './errors';
import { McpPool } from './mcp/client';
import { ApprovalBroker, type ApprovalOutcome } from './permissions';
import { checkToolCall } from './rules/check';
import { saveApprovalRule, type ApprovalRuleRequest } from './rules/fromApproval';
import { unattendedDecision } from './rules/unattended';
import { costOf, createLanguageModel } from './providers';
import { exceedsDepth } from '../ipc/payload-guard';
import { guardToolArguments, MAX_TOOL_ARGS_DEPTH, refusedArguments } from './tool-args';
import type { ApprovalRulesRepository } from '../repositories/approvalRules';
import type { McpServersRepository } from '../repositories/mcpServers';
import type { ProvidersRepository } from '../repositories/providers';
import { builtinToolsFor, executeTool, PathSandbox, ToolProcesses, type ToolDef } from './tools';

type ReasoningPart = Extract<Exclude<AssistantModelMessage['content'], string>[number], { type: 'reasoning' }>;

/** Unattended runs deny a waiting call after this long unless the agent's settings say otherwise. */
export const DEFAULT_UNATTENDED_APPROVAL_TIMEOUT_MS = 5 * 60_000;
/** How long stop() waits for a run to wind down before returning anyway. */
const STOP_WAIT_MS = 10_000;

/** Waits for `p` at most `ms`; the timer is cleared either way, so it never holds the process open. */
async function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p.then(() => undefined, () => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

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
}

interface QueuedMessage {
  nodeId: string;
  text: string;
}

interface ActiveRun {
  sessionId: string;
  abort: AbortController;
  stopReason: 'stop' | 'shutdown' | null;
  done: Promise<void>;
  queue: QueuedMessage[];
  unattended: boolean;
}

interface RunContext {
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

interface StepCall {
  nodeId: string;
  toolCallId: string;
  toolName: string;
  args: unknown;
}

const RESTARTABLE: readonly SessionStatus[] = ['idle', 'completed', 'failed', 'stopped', 'interrupted'];

function settingNumber(cfg: AgentConfig, key: string): number | undefined {
  const v = cfg.settings[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function settingString(cfg: AgentConfig, key: string): string | undefined {
  const v = cfg.settings[key];
  return typeof v === 'string' && v ? v : undefined;
}

/** Thinking / reasoning effort from the agent's settings, in each provider's own option shape. */
function providerOptionsFor(cfg: AgentConfig, kind: Provider['kind']): Record<string, Record<string, JsonValue>> | undefined {
  const budget = settingNumber(cfg, 'thinkingBudgetTokens');
  const effort = settingString(cfg, 'reasoningEffort');
  if (kind === 'anthropic' && budget !== undefined) return { anthropic: { thinking: { type: 'enabled', budgetTokens: Math.round(budget) } } };
  if (kind === 'openai' && effort) return { openai: { reasoningEffort: effort } };
  if (kind === 'openai-compatible' && effort) return { openaiCompatible: { reasoningEffort: effort } };
  return undefined;
}

/** A reasoning block as sent back to the model (Anthropic needs the signature of its thinking). */
interface StepReasoning {
  text: string;
  signature?: string;
}

function isPendingNode(n: LogNode): boolean {
  return n.kind === 'action' && (n.status === 'pending_approval' || (n.status === 'interrupted' && n.metadata.interruptedFrom === 'pending_approval'));
}

export class Runtime {
  private readonly active = new Map<string, ActiveRun>();
  private readonly broker = new ApprovalBroker();
  readonly mcp: McpPool;
  readonly processes: ToolProcesses;
  /** Serialises control calls per session so two clicks cannot start two runs. */
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Approval deadlines of unattended runs found waiting at start (see resumeUnattendedApprovals). */
  private readonly deadlines = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: RuntimeDeps) {
    this.mcp = deps.mcpPool ?? new McpPool();
    this.processes = deps.processes ?? new ToolProcesses();
  }

  // ------------------------------------------------------------------ control API

  /** First message (or a new message on a finished session): writes the user node and runs. */
  start(input: { sessionId: string; message: string; unattended?: boolean }): Promise<RunAck> {
    return this.locked(input.sessionId, () => this.startOrSend(input.sessionId, input.message, input.unattended ?? false));
  }

  /** A follow-up; while a run is active it is queued and taken before the next model call. */
  send(input: { sessionId: string; message: string }): Promise<RunAck> {
    return this.locked(input.sessionId, () => this.startOrSend(input.sessionId, input.message, false));
  }

  /** Stops promptly: aborts the model request and running tools; the session ends 'stopped'. */
  stop(sessionId: string): Promise<RunAck> {
    return this.locked(sessionId, async () => {
      const run = this.active.get(sessionId);
      if (run) {
        run.stopReason = 'stop';
        run.abort.abort(new RunStopped('stop'));
        await settleWithin(run.done, STOP_WAIT_MS);
        return { sessionId, nodeId: null };
      }
      const session = await this.deps.sessions.get(sessionId);
      if (session.status === 'waiting_for_user_input' || session.status === 'interrupted' || session.status === 'running') {
        // No live run (e.g. after a restart): nothing to abort, only the status to settle.
        await this.setStatus(session, 'stopped');
      }
      return { sessionId, nodeId: null };
    });
  }

  /** Continues an interrupted / stopped / failed session from what is stored. */
  resume(sessionId: string): Promise<RunAck> {
    return this.locked(sessionId, async () => {
      if (this.active.has(sessionId)) throw new PaddockError('CONFLICT', 'This session is already running');
      const session = await this.deps.sessions.get(sessionId);
      if (!['interrupted', 'stopped', 'failed', 'waiting_for_user_input'].includes(session.status)) {
        throw new PaddockError('CONFLICT', `A ${session.status} session cannot be resumed`);
      }
      await this.setStatus(session, 'running');
      this.launch(session, { unattended: false });
      return { sessionId, nodeId: null };
    });
  }

  approve(input: { nodeId: string; scope: ApprovalScope; rule?: ApprovalRuleRequest }): Promise<RunAck> {
    return this.answer(input.nodeId, { kind: 'approved' }, input.scope, input.rule);
  }

  deny(input: { nodeId: string; reason?: string }): Promise<RunAck> {
    return this.answer(input.nodeId, { kind: 'denied', reason: input.reason ?? null }, 'once');
  }

  isRunning(sessionId: string): boolean {
    return this.active.has(sessionId);
  }

  /** Waits until the session's current run (if any) has ended. For tests and shutdown. */
  async idle(sessionId: string): Promise<void> {
    await this.active.get(sessionId)?.done;
  }

  /**
   * Call once after a start. A scheduled (unattended) run that was waiting for an approval when
   * the app stopped has no live run left to time the question out, so it would wait for a human
   * forever. Its deadline was stored on the call (metadata.approvalDeadline): a deadline already
   * past denies the call as timed out now and the run continues, unattended; one still ahead does
   * so then, unless someone answers first. Returns how many waiting calls it found.
   */
  async resumeUnattendedApprovals(now = Date.now()): Promise<number> {
    let found = 0;
    let cursor: string | null = null;
    do {
      const page: Page<Session> = await this.deps.sessions.list({ status: ['waiting_for_user_input'], limit: 100, cursor });
      for (const s of page.items) {
        if (this.active.has(s.id)) continue;
        // The waiting call is among the last nodes the run wrote (its step's tool calls).
        for (const n of await this.deps.logs.latest(s.id, 64)) {
          const deadline = typeof n.metadata.approvalDeadline === 'string' ? Date.parse(n.metadata.approvalDeadline) : Number.NaN;
          if (!isPendingNode(n) || !Number.isFinite(deadline)) continue;
          this.planDeadline(n.id, Math.max(0, deadline - now));
          found++;
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    return found;
  }

  private planDeadline(nodeId: string, inMs: number): void {
    clearTimeout(this.deadlines.get(nodeId));
    const timer = setTimeout(() => {
      this.deadlines.delete(nodeId);
      // Answered, stopped or denied meanwhile: then it is no longer waiting, and that is fine.
      this.answer(nodeId, { kind: 'timeout' }, 'once').catch(() => undefined);
    }, inMs);
    timer.unref();
    this.deadlines.set(nodeId, timer);
  }

  /** App shutdown: running sessions end 'interrupted' (resumable), MCP servers are closed. */
  async close(): Promise<void> {
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.deadlines.clear();
    const runs = [...this.active.values()];
    for (const run of runs) {
      run.stopReason = 'shutdown';
      run.abort.abort(new RunStopped('shutdown'));
    }
    await settleWithin(Promise.allSettled(runs.map((r) => r.done)), STOP_WAIT_MS);
    // Whatever tool commands left running (background jobs, or a run that did not wind down).
    this.processes.killAll();
    await this.mcp.closeAll();
  }

  // ------------------------------------------------------------------ control internals

  private locked<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(sessionId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.locks.set(sessionId, settled);
    void settled.then(() => {
      if (this.locks.get(sessionId) === settled) this.locks.delete(sessionId);
    });
    return next;
  }

  private async startOrSend(sessionId: string, message: string, unattended: boolean): Promise<RunAck> {
    const run = this.active.get(sessionId);
    if (run) {
      const nodeId = this.deps.writer.startNode({ sessionId, kind: 'user_message', role: 'user', status: 'complete', content: message });
      run.queue.push({ nodeId, text: message });
      await this.deps.writer.flush();
      return { sessionId, nodeId };
    }
    const session = await this.deps.sessions.get(sessionId);
    if (session.deletedAt) throw new PaddockError('CONFLICT', 'This session is in the trash');
    if (session.status === 'waiting_for_user_input') {
      throw new PaddockError('CONFLICT', 'This session is waiting for a tool approval; approve or deny it first (or stop the session).');
    }
    if (!RESTARTABLE.includes(session.status)) throw new PaddockError('CONFLICT', `This session is ${session.status}`);
    const nodeId = this.deps.writer.startNode({ sessionId, kind: 'user_message', role: 'user', status: 'complete', content: message });
    // The message is durable before the status says running: a crash now leaves a user
    // message a resume can answer, never a running session with nothing to run.
    await this.deps.writer.flush();
    await this.setStatus(session, 'running');
    this.launch(session, { unattended });
    return { sessionId, nodeId };
  }

  private async answer(nodeId: string, outcome: ApprovalOutcome, scope: ApprovalScope, rule?: ApprovalRuleRequest): Promise<RunAck> {
    const node = await this.deps.logs.get(nodeId);
    if (!node || node.kind !== 'action') throw new PaddockError('NOT_FOUND', 'That tool call does not exist');
    return this.locked(node.sessionId, async () => {
      const session = await this.deps.sessions.get(node.sessionId);
      const remember = async () => {
        if (rule && node.toolName) await saveApprovalRule(this.deps.rules, this.deps.events, session, node.toolName, rule);
        else if (scope !== 'once' && node.toolName) await this.deps.rules.allow(scope, scope === 'session' ? session.id : session.agentId, node.toolName);
      };
      if (this.broker.isWaiting(nodeId)) {
        await remember();
        // Back to running before answering, so when this call returns the status is settled.
        if (session.status === 'waiting_for_user_input') await this.setStatus(session, 'running');
        this.broker.answer(nodeId, outcome);
        return { sessionId: session.id, nodeId };
      }
      if (this.active.has(session.id)) throw new PaddockError('CONFLICT', 'That tool call is not waiting for approval');
      const tree = await this.deps.logs.tree(session.id);
      const fresh = tree.find((n) => n.id === nodeId);
      const continued = tree.some((n) => n.causeId === nodeId && n.kind === 'action');
      // 'interrupted': the app died between recording the question and marking the session waiting.
      const waiting = fresh?.status === 'pending_approval' || session.status === 'waiting_for_user_input' || session.status === 'interrupted';
      if (!fresh || !isPendingNode(fresh) || continued || !waiting) throw new PaddockError('CONFLICT', 'That tool call is not waiting for approval');
      // After a restart no run is waiting: start one that applies this answer and continues.
      await remember();
      if (session.status !== 'running') await this.setStatus(session, 'running');
      // Only an unattended run's question times out: its continuation stays unattended.
      this.launch(session, { unattended: outcome.kind === 'timeout', decisions: new Map([[nodeId, outcome]]) });
      return { sessionId: session.id, nodeId };
    });
  }

  private launch(session: SessionWithConfig, opts: { unattended: boolean; decisions?: Map<string, ApprovalOutcome> }): void {
    const run: ActiveRun = {
      sessionId: session.id,
      abort: new AbortController(),
      stopReason: null,
      done: Promise.resolve(),
      queue: [],
      unattended: opts.unattended,
    };
    this.active.set(session.id, run);
    run.done = this.execute(run, opts.decisions ?? new Map()).finally(() => {
      if (this.active.get(session.id) === run) this.active.delete(session.id);
    });
  }

  private async setStatus(session: { id: string; status: SessionStatus }, to: SessionStatus, opts: { error?: string | null; result?: string | null } = {}) {
    const updated = await retryWhileBusy(() => this.deps.statuses.transition(session.id, to, opts));
    session.status = updated.status;
    return updated;
  }

  // ------------------------------------------------------------------ the run

  private async execute(run: ActiveRun, decisions: Map<string, ApprovalOutcome>): Promise<void> {
    const { writer } = this.deps;
    const sessionId = run.sessionId;
    let session: SessionWithConfig = await this.deps.sessions.get(sessionId).catch(() => null as never);
    if (!session) return;
    let turn: string | null = null;
    try {
      const ctx = await this.prepare(session, run);
      const conv = rebuildConversation(await this.deps.logs.tree(sessionId));
      const messages: ModelMessage[] = conv.messages;
      turn = conv.turnNodeId;
      let steps = conv.stepsInTurn;

      if (conv.unfinished.length > 0) {
        const results = await this.settleCalls(run, ctx, conv.unfinished.map((u) => this.reissue(sessionId, u, decisions)), decisions);
        messages.splice(conv.unfinishedInsertAt, 0, { role: 'tool', content: [...conv.knownResults, ...results] });
      } else if (conv.endsWithAssistant && run.queue.length === 0) {
        // An interrupted answer: ask the model to go on (logged, so the tree shows what was sent).
        writer.startNode({ sessionId, parentId: turn, kind: 'system', role: 'user', status: 'complete', content: RESUME_NOTE });
        messages.push({ role: 'user', content: RESUME_NOTE });
      }

      for (;;) {
        this.throwIfStopped(run);
        for (const q of run.queue.splice(0)) {
          messages.push({ role: 'user', content: q.text });
          turn = q.nodeId;
          steps = 0;
        }
        if (steps >= ctx.config.maxSteps) {
          const msg = `Reached the step limit (${ctx.config.maxSteps} model calls for one message). Resume to let the agent continue.`;
          writer.startNode({ sessionId, parentId: turn, kind: 'error', role: 'system', status: 'complete', content: msg, metadata: { reason: 'max_steps' } });
          await retryWhileBusy(() => writer.flush());
          await this.setStatus(session, 'stopped', { error: msg });
          return;
        }
        const step = await this.modelStep(run, ctx, messages, turn, steps + 1);
        steps++;
        const content: Array<ReasoningPart | TextPart | ToolCallPart> = [];
        for (const r of step.reasoning) {
          if (r.signature) content.push({ type: 'reasoning', text: r.text, providerOptions: { anthropic: { signature: r.signature } } });
        }
        if (step.text) content.push({ type: 'text', text: step.text });
        for (const c of step.calls) content.push({ type: 'tool-call', toolCallId: c.toolCallId, toolName: c.toolName, input: c.args as JsonValue });
        if (content.length > 0) messages.push({ role: 'assistant', content });
        if (step.calls.length === 0) {
          if (run.queue.length > 0) continue;
          await retryWhileBusy(() => writer.flush());
          await this.setStatus(session, 'completed', { result: step.text || null });
          return;
        }
        const results = await this.settleCalls(run, ctx, step.calls, decisions);
        messages.push({ role: 'tool', content: results });
      }
    } catch (err) {
      session = await this.deps.sessions.get(sessionId).catch(() => session);
      if (err instanceof RunStopped || run.abort.signal.aborted) {
        await writer.flush().catch(() => undefined);
        const to = run.stopReason === 'shutdown' ? 'interrupted' : 'stopped';
        if (run.stopReason === 'shutdown' && session.status === 'waiting_for_user_input') return;
        if (session.status !== to) await this.setStatus(session, to).catch(() => undefined);
        return;
      }
      const message = err instanceof RunConfigError ? err.message : describeProviderError(err);
      writer.startNode({
        sessionId,
        parentId: turn,
        kind: 'error',
        role: 'system',
        status: 'error',
        content: message,
        metadata: { error: message, ...(err instanceof RunConfigError ? { reason: 'config' } : {}) },
      });
      await writer.flush().catch(() => undefined);
      if (session.status !== 'failed') await this.setStatus(session, 'failed', { error: message }).catch(() => undefined);
    }
  }

  private throwIfStopped(run: ActiveRun): void {
    if (run.abort.signal.aborted) throw new RunStopped(run.stopReason ?? 'stop');
  }

  /** Resolves the model, the key, the tools and the sandbox for this session's config. */
  private async prepare(session: SessionWithConfig, run: ActiveRun): Promise<RunContext> {
    const config = session.effectiveConfig;
    let provider: Provider | null = null;
    let modelId: string;
    if (!config.model) {
      // "Empty = the provider's default": unambiguous only when one provider has a default.
      const withDefault = (await this.deps.providers.list()).filter((p) => p.defaultModel);
      if (withDefault.length !== 1) throw new RunConfigError('This agent has no model. Choose a provider and a model in the agent settings.');
      provider = withDefault[0]!;
      modelId = provider.defaultModel!;
    } else {
      const ref = parseModelRef(config.model);
      provider = ref ? await this.deps.providers.resolve(ref.provider) : null;
      modelId = ref && provider ? ref.model : config.model;
      if (!provider) {
        // A bare model id works when exactly one provider is configured.
        const all = await this.deps.providers.list();
        if (all.length === 1) provider = all[0]!;
      }
    }
    if (!provider) throw new RunConfigError(`The model "${config.model}" names a provider that does not exist. Pick a model again in the agent settings.`);
    const apiKey = await this.deps.secrets.get(provider.id);
    const model = guardToolArguments(createLanguageModel({ kind: provider.kind, baseURL: provider.baseURL, apiKey, name: provider.name }, modelId));

    const tools = new Map<string, ToolDef>();
    for (const t of builtinToolsFor(config.builtinTools)) tools.set(t.name, t);
    if (config.mcpServers.length > 0) {
      const servers = (await this.deps.mcpServers.byNames(config.mcpServers)).filter((s) => s.enabled);
      for (const name of config.mcpServers) {
        const server = servers.find((s) => s.name === name);
        try {
          if (!server) throw new Error(`No MCP server named "${name}" is configured (or it is disabled).`);
          const conn = await this.mcp.get(server);
          for (const t of conn.toolDefs) tools.set(t.name, t);
        } catch (err) {
          // The agent runs without that server's tools; the tree says why.
          this.deps.writer.startNode({
            sessionId: session.id,
            kind: 'system',
            role: 'system',
            status: 'error',
            content: (err as Error).message,
            metadata: { mcpServer: name },
          });
        }
      }
      this.throwIfStopped(run);
    }
    const aiTools: ToolSet = {};
    for (const t of tools.values()) {
      // JSON Schema only (no validator): arguments are validated by executeTool, so a bad call
      // reaches the log and the model gets a readable error instead of the SDK dropping it.
      const schema = t.jsonSchema ?? (z.toJSONSchema(t.schema) as Record<string, unknown>);
      aiTools[t.name] = tool({ description: t.description, inputSchema: jsonSchema(schema) });
    }
    const sandbox = await PathSandbox.create(config.accessiblePaths);
    const where = sandbox.rootPaths.length
      ? `\n\nYour working directory is ${sandbox.rootPaths[0]}. File tools can only reach: ${sandbox.rootPaths.join(', ')}.`
      : '';
    return {
      session,
      config,
      model,
      modelId,
      provider,
      modelInfo: provider.models.find((m) => m.id === modelId) ?? null,
      tools,
      aiTools,
      sandbox,
      system: `${config.instructions}${where}`.trim(),
      providerOptions: providerOptionsFor(config, provider.kind),
    };
  }

  /** One model call, streamed into the log tree as it arrives. */
  private async modelStep(run: ActiveRun, ctx: RunContext, messages: ModelMessage[], turn: string | null, stepNo: number) {
    const { writer } = this.deps;
    const sessionId = run.sessionId;
    const stepNode = writer.startNode({
      sessionId,
      parentId: turn,
      kind: 'assistant_message',
      role: 'assistant',
      status: 'streaming',
      model: ctx.modelId,
      provider: ctx.provider.name,
      metadata: { step: stepNo },
    });
    let thought: string | null = null;
    let thoughtText = '';
    let signature: string | undefined;
    const reasoning: StepReasoning[] = [];
    const endThought = (status: 'complete' | 'interrupted' | 'error', note: Record<string, JsonValue> = {}) => {
      if (!thought) return;
      writer.finishNode(thought, { status, metadata: { ...note, ...(signature ? { signature } : {}) } });
      if (status === 'complete') reasoning.push({ text: thoughtText, ...(signature ? { signature } : {}) });
      thought = null;
      thoughtText = '';
      signature = undefined;
    };
    const actions = new Map<string, { nodeId: string; toolName: string }>();
    const calls: StepCall[] = [];
    let text = '';
    let finish: { usage: { inputTokens?: number; outputTokens?: number; inputTokenDetails?: { cacheReadTokens?: number }; outputTokenDetails?: { reasoningTokens?: number } }; finishReason: string } | null = null;

    const closeOpen = (status: 'interrupted' | 'error', note: Record<string, JsonValue>) => {
      endThought(status, note);
      for (const [id, a] of actions) {
        const made = calls.some((c) => c.toolCallId === id);
        writer.finishNode(a.nodeId, { status, metadata: { ...note, ...(made ? {} : { incomplete: true }) } });
      }
      writer.finishNode(stepNode, { status, metadata: note });
    };

    const result = streamText({
      model: ctx.model,
      ...(ctx.system ? { system: ctx.system } : {}),
      messages,
      tools: ctx.aiTools,
      abortSignal: run.abort.signal,
      maxRetries: this.deps.maxRetries ?? 2,
      ...(settingNumber(ctx.config, 'temperature') !== undefined ? { temperature: settingNumber(ctx.config, 'temperature') } : {}),
      ...(settingNumber(ctx.config, 'maxOutputTokens') !== undefined ? { maxOutputTokens: settingNumber(ctx.config, 'maxOutputTokens') } : {}),
      ...(ctx.providerOptions ? { providerOptions: ctx.providerOptions } : {}),
      // Errors arrive as 'error' parts below; the default handler would only print them.
      onError: () => undefined,
    });
    try {
      for await (const part of result.fullStream) {
        // While the database cannot take the log (held by another program), stop reading the
        // stream rather than holding an ever-growing buffer.
        await writer.whenRoom();
        switch (part.type) {
          case 'reasoning-start':
            thought ??= writer.startNode({ sessionId, parentId: stepNode, kind: 'thought', role: 'reasoning', status: 'streaming' });
            break;
          case 'reasoning-delta': {
            // Anthropic sends its thinking signature as an empty delta with metadata.
            const sig = (part.providerMetadata?.anthropic as { signature?: unknown } | undefined)?.signature;
            if (typeof sig === 'string') signature = sig;
            if (!part.text) break;
            thought ??= writer.startNode({ sessionId, parentId: stepNode, kind: 'thought', role: 'reasoning', status: 'streaming' });
            thoughtText += part.text;
            writer.appendDelta(thought, part.text);
            break;
          }
          case 'reasoning-end':
            endThought('complete');
            break;
          case 'text-delta':
            if (!part.text) break;
            text += part.text;
            writer.appendDelta(stepNode, part.text);
            break;
          case 'tool-input-start':
            actions.set(part.id, {
              toolName: part.toolName,
              nodeId: writer.startNode({ sessionId, parentId: stepNode, kind: 'action', role: 'assistant', status: 'streaming', toolName: part.toolName, metadata: { toolCallId: part.id } }),
            });
            break;
          case 'tool-input-delta': {
            const a = actions.get(part.id);
            if (a && part.delta) writer.appendDelta(a.nodeId, part.delta);
            break;
          }
          case 'tool-call': {
            let a = actions.get(part.toolCallId);
            if (!a) {
              // Some providers send the whole call at once, without input deltas.
              a = {
                toolName: part.toolName,
                nodeId: writer.startNode({
                  sessionId,
                  parentId: stepNode,
                  kind: 'action',
                  role: 'assistant',
                  status: 'streaming',
                  toolName: part.toolName,
                  toolArgs: (part.input ?? null) as JsonValue,
                  metadata: { toolCallId: part.toolCallId },
                }),
              };
              actions.set(part.toolCallId, a);
            }
            calls.push({ nodeId: a.nodeId, toolCallId: part.toolCallId, toolName: part.toolName, args: part.input });
            break;
          }
          case 'finish-step':
            finish = { usage: part.usage, finishReason: part.finishReason };
            break;
          case 'error':
            throw part.error;
          case 'abort':
            throw new RunStopped(run.stopReason ?? 'stop');
          default:
            break;
        }
      }
      this.throwIfStopped(run);
    } catch (err) {
      const stopped = err instanceof RunStopped || run.abort.signal.aborted;
      closeOpen(stopped ? 'interrupted' : 'error', stopped ? { stopped: true } : { error: describeProviderError(err) });
      throw stopped ? new RunStopped(run.stopReason ?? 'stop') : err;
    }
    endThought('complete');
    for (const [id, a] of actions) {
      if (!calls.some((c) => c.toolCallId === id)) writer.finishNode(a.nodeId, { status: 'error', metadata: { incomplete: true } });
    }

    const u = finish?.usage ?? {};
    const usage = {
      input: u.inputTokens ?? 0,
      output: u.outputTokens ?? 0,
      reasoning: u.outputTokenDetails?.reasoningTokens ?? 0,
      cached: u.inputTokenDetails?.cacheReadTokens ?? 0,
    };
    const costUsd = costOf(usage, ctx.modelInfo?.price ?? null);
    const contextTokens = usage.input + usage.output;
    const contextWindow = ctx.modelInfo?.contextWindow ?? null;
    writer.finishNode(stepNode, {
      status: 'complete',
      tokensIn: usage.input,
      tokensOut: usage.output,
      tokensReasoning: usage.reasoning,
      costUsd,
      metadata: { tokensCached: usage.cached, contextTokens, contextWindow, finishReason: finish?.finishReason ?? 'unknown', priced: ctx.modelInfo?.price != null },
    });
    await retryWhileBusy(() => this.deps.sessions.addUsage(sessionId, { tokensIn: usage.input, tokensOut: usage.output, tokensReasoning: usage.reasoning, tokensCached: usage.cached, costUsd }));
    this.deps.events?.emit('sessions.usage', {
      sessionId,
      nodeId: stepNode,
      tokensIn: usage.input,
      tokensOut: usage.output,
      tokensReasoning: usage.reasoning,
      tokensCached: usage.cached,
      costUsd,
      contextTokens,
      contextWindow,
    });
    return { nodeId: stepNode, text, calls, reasoning };
  }

  /**
   * After a restart, a call left waiting (or approved but not yet run) is no longer open in this
   * process's writer, so it is re-issued as a new action node that continues the old one.
   */
  private reissue(sessionId: string, u: UnfinishedCall, decisions: Map<string, ApprovalOutcome>): StepCall {
    const decided = decisions.get(u.node.id);
    const nodeId = this.deps.writer.startNode({
      sessionId,
      parentId: u.node.parentId,
      causeId: u.node.id,
      kind: 'action',
      role: 'assistant',
      status: u.state === 'approved' || decided?.kind === 'approved' ? 'approved' : 'pending_approval',
      toolName: u.toolName,
      toolArgs: (u.args ?? null) as JsonValue,
      metadata: { toolCallId: u.toolCallId, continues: u.node.id },
    });
    if (decided) decisions.set(nodeId, decided);
    if (u.state === 'approved') decisions.set(nodeId, { kind: 'approved' });
    return { nodeId, toolCallId: u.toolCallId, toolName: u.toolName, args: u.args };
  }

  /** Runs, asks about or refuses each tool call in order; returns what the model is told. */
  private async settleCalls(run: ActiveRun, ctx: RunContext, calls: StepCall[], decisions: Map<string, ApprovalOutcome>): Promise<ToolResultPart[]> {
    const { writer } = this.deps;
    const results: ToolResultPart[] = [];
    for (const call of calls) {
      this.throwIfStopped(run);
      const base = { type: 'tool-result' as const, toolCallId: call.toolCallId, toolName: call.toolName };
      const def = ctx.tools.get(call.toolName);
      if (!def) {
        const msg = `Unknown tool "${call.toolName}". Available tools: ${[...ctx.tools.keys()].join(', ') || 'none'}.`;
        writer.finishNode(call.nodeId, { status: 'error', error: msg, toolArgs: (call.args ?? null) as JsonValue });
        results.push({ ...base, output: { type: 'error-text', value: msg } });
        continue;
      }
      const refused = refusedArguments(call.toolName, call.args);
      if (refused) {
        // Before the permission policy and the tool's validator: nothing may walk these arguments.
        this.recordRefusedCall(run, call, refused);
        results.push({ ...base, output: { type: 'error-text', value: refused } });
        continue;
      }
      // Approval rules (rules/check.ts) combined with the permission mode.
      const check = await checkToolCall(this.deps.rules, { agentId: ctx.session.agentId, sessionId: run.sessionId, mode: ctx.config.permissionMode, effect: def.effect, toolName: call.toolName, args: call.args, resolver: ctx.sandbox, roots: ctx.sandbox.rootPaths });
      const decision = unattendedDecision(check.decision, run.unattended, settingNumber(ctx.config, 'approvalTimeoutMs'));
      let waitMs: number | undefined;
      if (decision.kind === 'deny') {
        const by = check.decision.kind === 'ask' ? 'unattended' : check.verdict?.decision === 'deny' ? 'rule' : 'policy';
        writer.finishNode(call.nodeId, { status: 'denied', toolArgs: (call.args ?? null) as JsonValue, metadata: { denyReason: decision.reason, deniedBy: by, ...(check.verdict ? { ruleId: check.verdict.rule.id } : {}) } });
        results.push({ ...base, output: { type: 'error-text', value: decision.reason } });
        continue;
      }
      if (decision.kind === 'ask') {
        const t0 = Date.now();
        const outcome = decisions.get(call.nodeId) ?? (await this.waitForApproval(run, ctx, call));
        decisions.delete(call.nodeId);
        waitMs = Date.now() - t0;
        if (outcome.kind === 'aborted') {
          // App shutdown: the question stays open (the session keeps waiting and the call can
          // be answered after the next start). A user's stop ends it.
          if (run.stopReason !== 'shutdown') writer.finishNode(call.nodeId, { status: 'interrupted', metadata: { stopped: true, stoppedWhile: 'pending_approval' } });
          throw new RunStopped(run.stopReason ?? 'stop');
        }
        if (outcome.kind !== 'approved') {
          const timeout = outcome.kind === 'timeout';
          const reason = timeout
            ? 'Denied: this unattended run needs approval for this tool and no one approved it in time. Do not retry it; finish without it or explain what needs approval.'
            : `The user denied this tool call.${outcome.reason ? ` Reason: ${outcome.reason}` : ''}`;
          writer.finishNode(call.nodeId, {
            status: 'denied',
            metadata: { denyReason: timeout ? 'approval timed out (unattended run)' : (outcome.reason ?? ''), deniedBy: timeout ? 'timeout' : 'user', waitMs },
          });
          results.push({ ...base, output: { type: 'error-text', value: reason } });
          continue;
        }
        writer.updateToolStatus(call.nodeId, 'approved');
      }
      writer.updateToolStatus(call.nodeId, 'running');
      const t0 = Date.now();
      const out = await executeTool(def, call.args, { sandbox: ctx.sandbox, signal: run.abort.signal, processes: this.processes });
      const execMs = Date.now() - t0;
      const stopped = run.abort.signal.aborted;
      this.recordObservation(run, call, out.text, out.isError === true);
      writer.finishNode(call.nodeId, {
        status: stopped ? 'interrupted' : out.isError ? 'error' : 'complete',
        durationMs: execMs,
        metadata: { ran: true, ...(stopped ? { stopped: true } : {}), ...(waitMs !== undefined ? { waitMs } : {}), ...(def.source ? { source: def.source } : {}) },
      });
      if (stopped) throw new RunStopped(run.stopReason ?? 'stop');
      results.push({ ...base, output: out.isError ? { type: 'error-text', value: out.text } : { type: 'text', value: out.text } });
    }
    return results;
  }

  /** A tool call's result as an observation node under (and caused by) the call. */
  private recordObservation(run: ActiveRun, call: StepCall, text: string, isError: boolean, extra: Record<string, JsonValue> = {}): void {
    this.deps.writer.startNode({
      sessionId: run.sessionId,
      parentId: call.nodeId,
      causeId: call.nodeId,
      kind: 'observation',
      role: 'tool',
      status: isError ? 'error' : 'complete',
      content: text,
      toolName: call.toolName,
      metadata: { isError, chars: text.length, ...extra },
    });
  }

  /** A call whose arguments were refused unread: the tool error, on the call and as its result. */
  private recordRefusedCall(run: ActiveRun, call: StepCall, message: string): void {
    const { writer } = this.deps;
    this.recordObservation(run, call, message, true, { reason: 'invalid_arguments' });
    // Too-deep arguments are not handed to the writer (its validation recurses); the raw text stays in the node's chunks.
    const storable = !exceedsDepth(call.args, MAX_TOOL_ARGS_DEPTH);
    writer.finishNode(call.nodeId, { status: 'error', error: message, ...(storable ? { toolArgs: (call.args ?? null) as JsonValue } : {}) });
  }

  private async waitForApproval(run: ActiveRun, ctx: RunContext, call: StepCall): Promise<ApprovalOutcome> {
    const { writer } = this.deps;
    const unattended = run.unattended || (this.deps.isUiAttached ? !this.deps.isUiAttached() : false);
    const timeoutMs = unattended ? (settingNumber(ctx.config, 'approvalTimeoutMs') ?? this.deps.unattendedApprovalTimeoutMs ?? DEFAULT_UNATTENDED_APPROVAL_TIMEOUT_MS) : null;
    // A scheduled run's deadline outlives the process (resumeUnattendedApprovals). A user's run
    // that only lost its window waits for that user again after a restart.
    const deadline = run.unattended && timeoutMs !== null ? { approvalDeadline: new Date(Date.now() + timeoutMs).toISOString() } : undefined;
    writer.updateToolStatus(call.nodeId, 'pending_approval', deadline);
    await writer.flush();
    const session = await this.deps.sessions.get(run.sessionId);
    if (session.status === 'running') await this.setStatus(session, 'waiting_for_user_input');
    const outcome = await this.broker.wait(call.nodeId, { timeoutMs, signal: run.abort.signal });
    if (outcome.kind !== 'aborted') {
      const now = await this.deps.sessions.get(run.sessionId);
      if (now.status === 'waiting_for_user_input') await this.setStatus(now, 'running');
    }
    return outcome;
  }
}
