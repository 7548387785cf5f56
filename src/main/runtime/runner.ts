// The agent runtime's facade: the control API (start, send, stop, resume, approve, deny), one
// lock per session so two clicks cannot start two runs, and the launch of a run. The run itself
// (context, model steps, tool-call settlement) is in ./run/, starting at run/loop.ts.
import type { Page, Session, SessionStatus, SessionWithConfig } from '../../shared/domain';
import { PaddockError } from '../../shared/ipc/result';
import type { ApprovalScope } from '../../shared/ipc/channels/runtime';
import type { RunAck } from '../../shared/ipc/channels/sessions';
import { RunStopped } from './errors';
import { McpPool } from './mcp/client';
import { ApprovalBroker, type ApprovalOutcome } from './permissions';
import { ToolProcesses } from './tools';
import { saveApprovalRule, type ApprovalRuleRequest } from './rules/fromApproval';
import { isPendingNode } from './run/approval';
import { setStatus, type RunEnv, type StatusOpts } from './run/env';
import { executeRun } from './run/loop';
import { planRetry, RETRY_NOTE, type RetryPlan } from './run/retry';
import type { ActiveRun, RuntimeDeps } from './run/types';

export { DEFAULT_UNATTENDED_APPROVAL_TIMEOUT_MS } from './run/types';
export type { RuntimeDeps, RuntimeLogs, RuntimeSessions, SessionStatuses } from './run/types';

/** How long stop() waits for a run to wind down before returning anyway. */
const STOP_WAIT_MS = 10_000;

const RESTARTABLE: readonly SessionStatus[] = ['idle', 'completed', 'failed', 'stopped', 'interrupted', 'budget_reached'];

/** Waits for `p` at most `ms`; the timer is cleared either way, so it never holds the process open. */
async function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p.then(() => undefined, () => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
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

  /** What the pieces of a run share with this runtime. */
  private readonly env: RunEnv;

  constructor(private readonly deps: RuntimeDeps) {
    this.mcp = deps.mcpPool ?? new McpPool();
    this.processes = deps.processes ?? new ToolProcesses();
    this.env = { deps, broker: this.broker, mcp: this.mcp, processes: this.processes };
  }

  // ------------------------------------------------------------------ control API

  /** First message (or a new message on a finished session): writes the user node and runs. */
  start(input: { sessionId: string; message: string; unattended?: boolean }): Promise<RunAck> {
    return this.locked(input.sessionId, () => this.startOrSend(input.sessionId, input.message, input.unattended ?? false));
  }

  /**
   * A follow-up. While a run is active it steers it: the message is logged at once, marked as not
   * sent yet, and joins the conversation before the run's next model call, without stopping it.
   */
  send(input: { sessionId: string; message: string }): Promise<RunAck> {
    return this.locked(input.sessionId, () => this.startOrSend(input.sessionId, input.message, false));
  }

  /** Stops promptly: aborts the model request and running tools; the session ends 'stopped'. */
  stop(sessionId: string): Promise<RunAck> {
    return this.locked(sessionId, async () => {
      const run = this.active.get(sessionId);
      if (run) {
        run.stopReason = 'stop';
        run.accepting = false;
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

  /** Continues an interrupted / stopped / failed / budget-reached session from what is stored. */
  resume(sessionId: string): Promise<RunAck> {
    return this.locked(sessionId, async () => {
      if (this.active.has(sessionId)) throw new PaddockError('CONFLICT', 'This session is already running');
      const session = await this.deps.sessions.get(sessionId);
      if (!['interrupted', 'stopped', 'failed', 'waiting_for_user_input', 'budget_reached'].includes(session.status)) {
        throw new PaddockError('CONFLICT', `A ${session.status} session cannot be resumed`);
      }
      await this.setStatus(session, 'running');
      this.launch(session, { unattended: false });
      return { sessionId, nodeId: null };
    });
  }

  approve(input: { nodeId: string; scope: ApprovalScope; rule?: ApprovalRuleRequest }): Promise<RunAck> {
    return this.answer(input.nodeId, { kind: 'approved', scope: input.scope }, input.scope, input.rule);
  }

  deny(input: { nodeId: string; reason?: string }): Promise<RunAck> {
    return this.answer(input.nodeId, { kind: 'denied', reason: input.reason ?? null }, 'once');
  }

  /**
   * Runs a failed step of the latest message again: a failed model call is asked again from where
   * it started, a failed tool call is run again (under the same permission policy) and the model
   * goes on from its new result. The failed attempt stays in the log (run/retry.ts).
   */
  async retry(input: { nodeId: string }): Promise<RunAck> {
    const node = await this.deps.logs.get(input.nodeId);
    if (!node) throw new PaddockError('NOT_FOUND', 'That log entry does not exist');
    return this.locked(node.sessionId, async () => {
      if (this.active.has(node.sessionId)) throw new PaddockError('CONFLICT', 'This session is running; stop it before retrying a step');
      const session = await this.deps.sessions.get(node.sessionId);
      if (session.deletedAt) throw new PaddockError('CONFLICT', 'This session is in the trash');
      if (!RESTARTABLE.includes(session.status)) throw new PaddockError('CONFLICT', `A ${session.status} session cannot retry a step`);
      const plan = planRetry(await this.deps.logs.tree(session.id), node.id);
      if (plan.kind === 'model') {
        const metadata = { retryOf: plan.retryOf, supersedes: plan.supersedes };
        this.deps.writer.startNode({ sessionId: session.id, parentId: plan.turnId, kind: 'system', role: 'system', status: 'complete', content: RETRY_NOTE, metadata });
        // Durable before the status says running, like a new message (see startOrSend).
        await this.deps.writer.flush();
      }
      await this.setStatus(session, 'running');
      this.launch(session, { unattended: false, ...(plan.kind === 'tool' ? { retry: plan } : {}) });
      return { sessionId: session.id, nodeId: null };
    });
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
      run.accepting = false;
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
    if (run?.accepting) {
      // Open until the run takes it (run/loop.ts): the log says it will be sent before the next step.
      const nodeId = this.deps.writer.startNode({ sessionId, kind: 'user_message', role: 'user', status: 'streaming', content: message, metadata: { steer: true } });
      run.queue.push({ nodeId, text: message });
      await this.deps.writer.flush();
      return { sessionId, nodeId };
    }
    // A run that is ending can no longer read it: the message starts the next run once it has.
    if (run) await run.done;
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

  private launch(session: SessionWithConfig, opts: { unattended: boolean; decisions?: Map<string, ApprovalOutcome>; retry?: RetryPlan }): void {
    const run: ActiveRun = {
      sessionId: session.id,
      abort: new AbortController(),
      stopReason: null,
      done: Promise.resolve(),
      queue: [],
      accepting: true,
      unattended: opts.unattended,
    };
    this.active.set(session.id, run);
    run.done = executeRun(this.env, run, opts.decisions ?? new Map(), opts.retry).finally(() => {
      if (this.active.get(session.id) === run) this.active.delete(session.id);
    });
  }

  private setStatus(session: { id: string; status: SessionStatus }, to: SessionStatus, opts: StatusOpts = {}): Promise<SessionWithConfig> {
    return setStatus(this.env, session, to, opts);
  }
}
