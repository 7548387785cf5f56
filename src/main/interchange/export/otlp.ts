// OpenTelemetry traces as OTLP/JSON, following the GenAI semantic conventions v1.37.0
// (schemaUrl https://opentelemetry.io/schemas/1.37.0: gen_ai.provider.name, gen_ai.input.messages
// and gen_ai.output.messages as JSON strings, gen_ai.tool.call.arguments / .result). One
// ExportTraceServiceRequest per line (the layout of the Collector's file exporter), a few
// hundred spans each, so the file is written and read back streamed. One trace per session.
//
//   root or sub-agent user_message -> "invoke_agent {agent}"  (INTERNAL), the prompt as gen_ai.input.messages
//   assistant_message              -> "chat {model}"           (CLIENT), usage, and its text, thinking
//                                     (reasoning parts) and tool calls folded into gen_ai.output.messages
//   action (+ its observation)     -> "execute_tool {name}"    (INTERNAL), arguments and result
//   error / system                 -> "paddock.{kind}"         (INTERNAL; errors with status ERROR)
// Paddock's own node fields ride along in paddock.* attributes (see node-info.ts). Streamed
// chunks have no OpenTelemetry form (the conventions' streaming section is still empty) and are
// not exported in this format.
import { createHash } from 'node:crypto';
import type { JsonValue, LogNode } from '../../../shared/domain.js';
import type { LogPageWithChunks } from '../../logs/stream-export.js';
import { nodeInfo, type NodeInfo } from '../node-info.js';
import type { TextOut } from './out.js';
import type { ExportHeader, SessionExporter } from './types.js';

export const SEMCONV_VERSION = '1.37.0';
export const SEMCONV_SCHEMA_URL = `https://opentelemetry.io/schemas/${SEMCONV_VERSION}`;
const SPANS_PER_LINE = 500;
export const SPAN_KIND = { INTERNAL: 1, CLIENT: 3 } as const;

type AttrValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: AttrValue }[];
  status: { code: number; message?: string };
}

interface Pending {
  depth: number;
  node: LogNode;
  span: OtlpSpan;
  parts: JsonValue[];
  thoughts: NodeInfo[];
  results: { info: NodeInfo; content: string }[];
  end: string;
}

export function spanIdOf(nodeId: string): string {
  return createHash('sha256').update(nodeId).digest('hex').slice(0, 16);
}

export function traceIdOf(sessionId: string): string {
  const hex = sessionId.replaceAll('-', '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : createHash('sha256').update(sessionId).digest('hex').slice(0, 32);
}

function nanos(iso: string): string {
  return `${BigInt(Date.parse(iso)) * 1_000_000n}`;
}

function attr(key: string, v: string | number | boolean | null | undefined): { key: string; value: AttrValue }[] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'string') return [{ key, value: { stringValue: v } }];
  if (typeof v === 'boolean') return [{ key, value: { boolValue: v } }];
  return [{ key, value: Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v } }];
}

export class OtlpExporter implements SessionExporter {
  #h!: ExportHeader;
  #traceId = '';
  #stack: Pending[] = [];
  #batch: OtlpSpan[] = [];

  begin(h: ExportHeader): void {
    this.#h = h;
    this.#traceId = traceIdOf(h.session.id);
  }

  async page(p: LogPageWithChunks, out: TextOut): Promise<void> {
    for (const n of p.nodes) {
      this.#closeTo(n.depth);
      this.#open(n);
      if (this.#batch.length >= SPANS_PER_LINE) await this.#flush(out);
    }
  }

  async end(out: TextOut): Promise<void> {
    this.#closeTo(0);
    await this.#flush(out);
  }

  async #flush(out: TextOut): Promise<void> {
    if (this.#batch.length === 0) return;
    const req = {
      resourceSpans: [{
        resource: { attributes: [...attr('service.name', 'paddock'), ...attr('gen_ai.agent.name', this.#h.agentName)] },
        scopeSpans: [{ scope: { name: 'paddock.export', version: '1' }, schemaUrl: SEMCONV_SCHEMA_URL, spans: this.#batch }],
      }],
    };
    this.#batch = [];
    await out.write(`${JSON.stringify(req)}\n`);
  }

  #closeTo(depth: number): void {
    while (this.#stack.length > 0 && this.#stack[this.#stack.length - 1]!.depth >= depth) this.#finish(this.#stack.pop()!);
  }

  /** Ends a span: its end time covers its subtree, folded children go into its attributes. */
  #finish(p: Pending): void {
    const { span, node } = p;
    span.endTimeUnixNano = nanos(p.end);
    if (node.kind === 'assistant_message') {
      const parts = [...p.parts];
      if (node.content !== '') parts.splice(p.thoughts.length, 0, { type: 'text', content: node.content });
      const finish = typeof node.metadata.finishReason === 'string' ? node.metadata.finishReason : 'stop';
      span.attributes.push(...attr('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts, finish_reason: finish }])));
      if (p.thoughts.length > 0) span.attributes.push(...attr('paddock.thoughts', JSON.stringify(p.thoughts)));
    } else if (node.kind === 'action') {
      const result = p.results.map((r) => r.content).join('\n');
      if (p.results.length > 0) span.attributes.push(...attr('gen_ai.tool.call.result', result), ...attr('paddock.results', JSON.stringify(p.results)));
    }
    const parent = this.#stack[this.#stack.length - 1];
    if (parent && parent.end < p.end) parent.end = p.end;
    this.#batch.push(span);
  }

  #open(n: LogNode): void {
    const parent = this.#stack[this.#stack.length - 1];
    const info = nodeInfo(n, false);
    const end = n.endedAt ?? n.startedAt;
    // Thinking and results are parts of their parent's span, not spans of their own.
    if (n.kind === 'thought' && parent?.node.kind === 'assistant_message') {
      parent.thoughts.push(info);
      parent.parts.push({ type: 'reasoning', content: n.content });
      if (parent.end < end) parent.end = end;
      return;
    }
    if (n.kind === 'observation' && parent?.node.kind === 'action') {
      parent.results.push({ info, content: n.content });
      if (parent.end < end) parent.end = end;
      return;
    }
    const span: OtlpSpan = {
      traceId: this.#traceId,
      spanId: spanIdOf(n.id),
      ...(parent ? { parentSpanId: parent.span.spanId } : {}),
      name: '',
      kind: SPAN_KIND.INTERNAL,
      startTimeUnixNano: nanos(n.startedAt),
      endTimeUnixNano: '',
      attributes: [...attr('gen_ai.conversation.id', this.#h.session.id)],
      status: n.status === 'error' || n.status === 'interrupted' || n.kind === 'error' ? { code: 2, message: n.kind === 'error' ? n.content : n.status } : { code: 0 },
    };
    if (n.status === 'interrupted') span.attributes.push(...attr('error.type', 'interrupted'));
    else if (n.metadata.reason === 'budget_reached') span.attributes.push(...attr('error.type', 'budget_reached'));
    this.#describe(n, span, parent);
    span.attributes.push(...attr('paddock.node', JSON.stringify(info)));
    this.#stack.push({ depth: n.depth, node: n, span, parts: [], thoughts: [], results: [], end });
  }

  #describe(n: LogNode, span: OtlpSpan, parent: Pending | undefined): void {
    const a = span.attributes;
    switch (n.kind) {
      case 'user_message':
        span.name = `invoke_agent ${this.#h.agentName}`;
        a.push(...attr('gen_ai.operation.name', 'invoke_agent'), ...attr('gen_ai.agent.name', this.#h.agentName), ...attr('gen_ai.agent.id', this.#h.session.agentId));
        a.push(...attr('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: n.content }] }])));
        return;
      case 'assistant_message':
        span.name = `chat ${n.model ?? ''}`.trim();
        span.kind = SPAN_KIND.CLIENT;
        a.push(...attr('gen_ai.operation.name', 'chat'), ...attr('gen_ai.provider.name', n.provider), ...attr('gen_ai.request.model', n.model), ...attr('gen_ai.response.model', n.model));
        a.push(...attr('gen_ai.usage.input_tokens', n.tokensIn), ...attr('gen_ai.usage.output_tokens', n.tokensOut));
        if (typeof n.metadata.tokensCached === 'number') a.push(...attr('gen_ai.usage.cache_read.input_tokens', n.metadata.tokensCached));
        if (n.tokensReasoning > 0) a.push(...attr('gen_ai.usage.reasoning.output_tokens', n.tokensReasoning));
        return;
      case 'action': {
        const callId = typeof n.metadata.toolCallId === 'string' ? n.metadata.toolCallId : n.id;
        span.name = `execute_tool ${n.toolName ?? ''}`.trim();
        a.push(...attr('gen_ai.operation.name', 'execute_tool'), ...attr('gen_ai.tool.name', n.toolName), ...attr('gen_ai.tool.call.id', callId), ...attr('gen_ai.tool.type', 'function'));
        if (n.toolArgs !== null) a.push(...attr('gen_ai.tool.call.arguments', JSON.stringify(n.toolArgs)));
        if (parent?.node.kind === 'assistant_message') parent.parts.push({ type: 'tool_call', id: callId, name: n.toolName ?? '', arguments: n.toolArgs });
        return;
      }
      default:
        span.name = `paddock.${n.kind}`;
        a.push(...attr('paddock.content', n.content));
        if (n.toolArgs !== null) a.push(...attr('paddock.tool_args', JSON.stringify(n.toolArgs)));
    }
  }
}
