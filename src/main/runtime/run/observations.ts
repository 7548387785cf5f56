// What a tool call's outcome leaves in the log tree besides the call's own node.
import type { JsonValue } from '../../../shared/domain';
import type { LogWriter } from '../../logs/writer';
import { exceedsDepth } from '../../ipc/payload-guard';
import { MAX_TOOL_ARGS_DEPTH } from '../tool-args';
import type { StepCall } from './types';

/** A tool call's result as an observation node under (and caused by) the call. */
export function recordObservation(writer: LogWriter, sessionId: string, call: StepCall, text: string, isError: boolean, extra: Record<string, JsonValue> = {}): void {
  writer.startNode({
    sessionId,
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
export function recordRefusedCall(writer: LogWriter, sessionId: string, call: StepCall, message: string): void {
  recordObservation(writer, sessionId, call, message, true, { reason: 'invalid_arguments' });
  // Too-deep arguments are not handed to the writer (its validation recurses); the raw text stays in the node's chunks.
  const storable = !exceedsDepth(call.args, MAX_TOOL_ARGS_DEPTH);
  writer.finishNode(call.nodeId, { status: 'error', error: message, ...(storable ? { toolArgs: (call.args ?? null) as JsonValue } : {}) });
}
