// How each kind of log node is labelled and drawn; pure so the tree row stays declarative.
import type { LogKind, LogNode } from '../../../shared/domain';
import type { IconName } from '../../components/Icon';
import { nodeTokens, spanMs, type Totals } from './tree/rollups';

export const KIND_INFO: Record<LogKind, { label: string; icon: IconName }> = {
  user_message: { label: 'User', icon: 'user' },
  assistant_message: { label: 'Assistant', icon: 'bot' },
  thought: { label: 'Thinking', icon: 'brain' },
  action: { label: 'Tool call', icon: 'tool' },
  observation: { label: 'Tool result', icon: 'output' },
  error: { label: 'Error', icon: 'alert' },
  system: { label: 'System', icon: 'gear' },
};

export function nodeDurationMs(node: LogNode): number | null {
  if (node.durationMs !== null) return node.durationMs;
  if (!node.endedAt) return null;
  const ms = Date.parse(node.endedAt) - Date.parse(node.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

export interface Metrics {
  tokens: number;
  costUsd: number;
  durationMs: number | null;
  /** True when the figures are the subtree totals (a parent row). */
  rolledUp: boolean;
  /** The node's own figures, for the tooltip of a rolled-up row. */
  own: { tokens: number; costUsd: number; durationMs: number | null };
}

/**
 * `causeDurationMs`: for a tool result, the execution time of the call it answers. The result is
 * written in an instant once the tool has finished, so its own span reads "0ms"; what a reader
 * means by a result's duration is how long the tool ran.
 */
export function nodeMetrics(node: LogNode, rollup: Totals | undefined, causeDurationMs: number | null = null): Metrics {
  const ownMs = nodeDurationMs(node);
  const durationMs = node.kind === 'observation' && causeDurationMs !== null && !ownMs ? causeDurationMs : ownMs;
  const own = { tokens: nodeTokens(node), costUsd: node.costUsd, durationMs };
  if (!rollup) return { ...own, rolledUp: false, own };
  return { tokens: rollup.tokens, costUsd: rollup.costUsd, durationMs: spanMs(rollup) ?? own.durationMs, rolledUp: true, own };
}

/** Content longer than this is cut until the user asks for all of it (keeps rows light). */
export const TRUNCATE_AT = 8_000;

/** What "copy" takes from a node: its text, or a tool call's arguments and result as JSON. */
export function copyableText(node: LogNode): string {
  const json = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  if (node.kind === 'action') return [node.toolArgs !== null ? json(node.toolArgs) : node.content, node.toolResult !== null ? json(node.toolResult) : ''].filter(Boolean).join('\n\n');
  if (node.kind === 'observation') return node.toolResult !== null ? json(node.toolResult) : node.content;
  return node.content;
}

const SCOPE_WORDS: Record<string, string> = { once: 'this call', session: 'always in this session', agent: 'always for this agent' };

/** Who let a tool call run, in words (metadata.approvedBy, written by the runtime); null if not recorded. */
export function approvalText(node: LogNode): string | null {
  const m = node.metadata;
  switch (m.approvedBy) {
    case 'user':
      return `approved by you (${SCOPE_WORDS[String(m.approvalScope)] ?? 'this call'})`;
    case 'rule':
      return 'approved by an "always allow" rule';
    case 'mode':
      return `allowed by the agent's permission mode (${String(m.permissionMode)})`;
    case 'read_only_tool':
      return 'read-only tool, no approval needed';
    default:
      return null;
  }
}

/** A message sent while the agent ran that the run has not read yet (its node stays open until then). */
export function isPendingSteer(node: LogNode): boolean {
  return node.kind === 'user_message' && node.status === 'streaming' && node.metadata.steer === true;
}
