// Bounds on a model's tool-call arguments. They are model output, so nothing about them can be
// trusted: arguments nested 100k deep parse fine (JSON.parse is iterative) but overflow the stack
// of every recursive step after it (the AI SDK's own JSON.stringify of the step's calls, zod, the
// log writer), which ended the run with "Maximum call stack size exceeded". The depth is checked
// on the raw text before the SDK sees it, without recursion, and too-deep arguments are replaced
// by a marker that settleCalls turns into a readable tool error the model can correct.
import { wrapLanguageModel, type LanguageModel, type LanguageModelMiddleware } from 'ai';
import { exceedsDepth } from '../ipc/payload-guard';

/** Deeper than any real tool schema needs; far below what recursion can handle. */
export const MAX_TOOL_ARGS_DEPTH = 64;

const REFUSED_KEY = '__paddockRefusedArguments';

export const tooDeepMessage = (toolName: string) =>
  `Invalid arguments for ${toolName}: the arguments are nested deeper than ${MAX_TOOL_ARGS_DEPTH} levels. Send flat, simple arguments.`;

/** True when JSON text nests objects/arrays deeper than `limit` (a scan, not a parse). */
export function jsonTextExceedsDepth(text: string, limit: number = MAX_TOOL_ARGS_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Why a call's (parsed) arguments are refused before anything else looks at them, or null. */
export function refusedArguments(toolName: string, args: unknown): string | null {
  if (typeof args === 'object' && args !== null && !Array.isArray(args) && typeof (args as Record<string, unknown>)[REFUSED_KEY] === 'string') {
    return (args as Record<string, string>)[REFUSED_KEY]!;
  }
  return exceedsDepth(args, MAX_TOOL_ARGS_DEPTH) ? tooDeepMessage(toolName) : null;
}

const middleware: LanguageModelMiddleware = {
  specificationVersion: 'v3',
  async wrapStream({ doStream }) {
    const result = await doStream();
    type Part = typeof result.stream extends ReadableStream<infer P> ? P : never;
    const stream = result.stream.pipeThrough(
      new TransformStream<Part, Part>({
        transform(part, controller) {
          if (part.type === 'tool-call' && jsonTextExceedsDepth(part.input)) {
            controller.enqueue({ ...part, input: JSON.stringify({ [REFUSED_KEY]: tooDeepMessage(part.toolName) }) });
          } else controller.enqueue(part);
        },
      }),
    );
    return { ...result, stream };
  },
};

/** The model with its tool-call arguments depth-checked before the AI SDK handles them. */
export function guardToolArguments(model: LanguageModel): LanguageModel {
  if (typeof model !== 'object' || model.specificationVersion !== 'v3') return model;
  return wrapLanguageModel({ model, middleware });
}
