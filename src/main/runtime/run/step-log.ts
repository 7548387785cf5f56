// Stream-to-log translation for one model call: each part of the provider's stream becomes a node
// (or a delta on one) in the log tree as it arrives: the step's assistant message, its thoughts
// and the tool calls the model writes.
import type { TextStreamPart, ToolSet } from 'ai';
import { z } from 'zod';
import type { JsonValue } from '../../../shared/domain';
import { usageDeltaSchema } from '../../../shared/ipc/schemas';
import type { FinishNodeInput, LogWriter } from '../../logs/writer';
import { mergeUsage, usageFromRawChunk, type PartialUsage } from './partial-usage';
import type { StepCall, StepReasoning, StepUsage } from './types';

type Part = TextStreamPart<ToolSet>;
type FinishPart = Extract<Part, { type: 'finish-step' }>;
type NodeEnd = 'complete' | 'interrupted' | 'error';

const tokenCounts = usageDeltaSchema.omit({ costUsd: true });

/**
 * The provider's token counts, checked here where they enter (they go into the session's totals
 * and the windows' figures unchecked after this): a count that is not a whole number >= 0 fails
 * the step with a clear message.
 */
export function usageFromProvider(u: FinishPart['usage'] | undefined): StepUsage {
  const r = tokenCounts.safeParse({
    tokensIn: u?.inputTokens ?? 0,
    tokensOut: u?.outputTokens ?? 0,
    tokensReasoning: u?.outputTokenDetails?.reasoningTokens ?? 0,
    tokensCached: u?.inputTokenDetails?.cacheReadTokens ?? 0,
  });
  if (!r.success) throw new Error(`The provider reported invalid token usage: ${z.prettifyError(r.error)}`);
  return { input: r.data.tokensIn, output: r.data.tokensOut, reasoning: r.data.tokensReasoning, cached: r.data.tokensCached };
}

export class StepLog {
  readonly nodeId: string;
  text = '';
  readonly calls: StepCall[] = [];
  readonly reasoning: StepReasoning[] = [];
  finish: { usage: FinishPart['usage']; finishReason: string } | null = null;
  /** Counts the provider reported before its closing part (see partial-usage.ts). */
  readonly partial: PartialUsage = {};
  private thought: string | null = null;
  private thoughtText = '';
  private signature: string | undefined;
  /** Tool calls whose input is streaming (or complete), by the provider's call id. */
  private readonly actions = new Map<string, { nodeId: string; toolName: string }>();

  constructor(
    private readonly writer: LogWriter,
    private readonly sessionId: string,
    step: { turn: string | null; stepNo: number; model: string; provider: string },
  ) {
    this.nodeId = writer.startNode({
      sessionId,
      parentId: step.turn,
      kind: 'assistant_message',
      role: 'assistant',
      status: 'streaming',
      model: step.model,
      provider: step.provider,
      metadata: { step: step.stepNo },
    });
  }

  /** Records one stream part; 'error' and 'abort' parts are the caller's to act on. */
  take(part: Part): void {
    switch (part.type) {
      case 'reasoning-start':
        this.openThought();
        break;
      case 'reasoning-delta':
        this.reasoningDelta(part);
        break;
      case 'reasoning-end':
        this.endThought('complete');
        break;
      case 'text-delta':
        if (!part.text) break;
        this.text += part.text;
        this.writer.appendDelta(this.nodeId, part.text);
        break;
      case 'tool-input-start':
        this.actions.set(part.id, { toolName: part.toolName, nodeId: this.startAction(part.toolName, part.id) });
        break;
      case 'tool-input-delta': {
        const a = this.actions.get(part.id);
        if (a && part.delta) this.writer.appendDelta(a.nodeId, part.delta);
        break;
      }
      case 'tool-call':
        this.toolCall(part);
        break;
      case 'finish-step':
        this.finish = { usage: part.usage, finishReason: part.finishReason };
        break;
      default:
        break;
    }
  }

  /** The stream ended normally: close the open thought, and calls whose input never completed. */
  settleParts(): void {
    this.endThought('complete');
    for (const [id, a] of this.actions) {
      if (!this.isMade(id)) this.writer.finishNode(a.nodeId, { status: 'error', metadata: { incomplete: true } });
    }
  }

  /**
   * The stream broke off (stop or error): every node still open ends with `status`; the step's
   * own node takes `usage` (what the provider reported before it broke off) when there is some.
   */
  closeOpen(status: 'interrupted' | 'error', note: Record<string, JsonValue>, usage?: Omit<FinishNodeInput, 'status'>): void {
    this.endThought(status, note);
    for (const [id, a] of this.actions) {
      this.writer.finishNode(a.nodeId, { status, metadata: { ...note, ...(this.isMade(id) ? {} : { incomplete: true }) } });
    }
    this.writer.finishNode(this.nodeId, { ...usage, status, metadata: { ...note, ...usage?.metadata } });
  }

  /** Reads a raw provider chunk; true when it changed the input count reported so far. */
  takeRaw(raw: unknown): boolean {
    const u = usageFromRawChunk(raw);
    if (!u) return false;
    const input = this.partial.input;
    mergeUsage(this.partial, u);
    return this.partial.input !== input;
  }

  /**
   * What a call that ended early used, as far as the provider said: its closing figures when
   * they arrived, else the counts it sent on the way (output not yet reported is estimated from
   * what was written). Null when the provider reported nothing.
   */
  earlyUsage(): { usage: StepUsage; outputEstimated: boolean } | null {
    const reported = this.reportedUsage();
    if (reported) return { usage: reported, outputEstimated: false };
    const p = this.partial;
    if (p.input === undefined && p.output === undefined) return null;
    // Three characters a token, the budget guard's estimate.
    const output = p.output ?? Math.ceil(this.outputChars() / 3);
    return {
      usage: { input: p.input ?? 0, output, reasoning: Math.min(p.reasoning ?? 0, output), cached: Math.min(p.cached ?? 0, p.input ?? 0) },
      outputEstimated: p.output === undefined,
    };
  }

  /** Token counts as the provider reported them (0 for what it did not report). */
  usage(): StepUsage {
    return usageFromProvider(this.finish?.usage);
  }

  /** The provider's figures, or null when it reported no usage at all (then they are estimated). */
  reportedUsage(): StepUsage | null {
    const u = this.finish?.usage;
    if (!u || (u.inputTokens === undefined && u.outputTokens === undefined)) return null;
    return this.usage();
  }

  /** How much the model wrote (text, thoughts, tool arguments), for estimates. */
  outputChars(): number {
    return this.text.length + this.reasoning.reduce((n, r) => n + r.text.length, 0) + this.calls.reduce((n, c) => n + JSON.stringify(c.args ?? null).length, 0);
  }

  private isMade(toolCallId: string): boolean {
    return this.calls.some((c) => c.toolCallId === toolCallId);
  }

  private openThought(): string {
    this.thought ??= this.writer.startNode({ sessionId: this.sessionId, parentId: this.nodeId, kind: 'thought', role: 'reasoning', status: 'streaming' });
    return this.thought;
  }

  private reasoningDelta(part: Extract<Part, { type: 'reasoning-delta' }>): void {
    // Anthropic sends its thinking signature as an empty delta with metadata.
    const sig = (part.providerMetadata?.anthropic as { signature?: unknown } | undefined)?.signature;
    if (typeof sig === 'string') this.signature = sig;
    if (!part.text) return;
    const thought = this.openThought();
    this.thoughtText += part.text;
    this.writer.appendDelta(thought, part.text);
  }

  private endThought(status: NodeEnd, note: Record<string, JsonValue> = {}): void {
    if (!this.thought) return;
    const signature = this.signature;
    this.writer.finishNode(this.thought, { status, metadata: { ...note, ...(signature ? { signature } : {}) } });
    if (status === 'complete') this.reasoning.push({ text: this.thoughtText, ...(signature ? { signature } : {}) });
    this.thought = null;
    this.thoughtText = '';
    this.signature = undefined;
  }

  private startAction(toolName: string, toolCallId: string, input?: unknown): string {
    return this.writer.startNode({
      sessionId: this.sessionId,
      parentId: this.nodeId,
      kind: 'action',
      role: 'assistant',
      status: 'streaming',
      toolName,
      ...(input !== undefined ? { toolArgs: (input ?? null) as JsonValue } : {}),
      metadata: { toolCallId },
    });
  }

  private toolCall(part: Extract<Part, { type: 'tool-call' }>): void {
    let a = this.actions.get(part.toolCallId);
    if (!a) {
      // Some providers send the whole call at once, without input deltas.
      a = { toolName: part.toolName, nodeId: this.startAction(part.toolName, part.toolCallId, part.input ?? null) };
      this.actions.set(part.toolCallId, a);
    }
    this.calls.push({ nodeId: a.nodeId, toolCallId: part.toolCallId, toolName: part.toolName, args: part.input });
  }
}
