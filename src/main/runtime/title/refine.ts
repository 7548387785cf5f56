// Title refinement: after a session's first answer, the agent's small model may suggest a better
// title than the first line of the first message. Only when the agent's setting asks for it
// (settings.refineTitles; off means no call at all, so nothing is paid), only once per session,
// only while the user has not renamed it. Its tokens and cost are the session's usage, recorded
// on a log entry marked as title generation. It never blocks a run and never fails one: every
// problem is logged and the title stays as it was. The model's text is checked before use.
import { streamText, type LanguageModel, type LanguageModelUsage } from 'ai';
import type { AgentConfig, LogNode, SessionWithConfig } from '../../../shared/domain';
import type { LogWriter } from '../../logs/writer';
import type { ProvidersRepository } from '../../repositories/providers';
import type { SecretStore } from '../../secrets/secretStore';
import { costOf, createLanguageModel } from '../providers';
import { resolveModel } from '../run/context';

export const TITLE_MAX = 60;
const TITLE_MIN = 3;
const CALL_TIMEOUT_MS = 30_000;
/** How much of the conversation the small model reads. */
const EXCERPT = 2_000;

const INSTRUCTIONS =
  'You name chat sessions. Reply with a title of 3 to 8 words for the conversation below: one line, plain words, no quotes, no Markdown, no final period.';

/** The agent's setting: refine titles with its small model (off unless turned on). */
export function refinesTitles(config: AgentConfig): boolean {
  return config.settings.refineTitles === true;
}

/**
 * The model's reply as a title, or null when it is not one: the first non-empty line, without
 * Markdown emphasis, heading marks, surrounding quotes or a "Title:" label; 3 to 60 characters.
 */
export function cleanTitle(raw: string): string | null {
  const line = raw.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  if (!line) return null;
  let t = line
    .replace(/^#+\s*/, '')
    .replace(/^title\s*:\s*/i, '')
    .replace(/[*_`~]/g, '')
    .trim();
  // Quotes and a final period, in whatever order the model nested them.
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(/^["'“”‘’«»]+|["'“”‘’«»]+$/g, '').replace(/[.]+$/, '').trim();
  }
  t = t.replace(/\s+/g, ' ');
  // Control characters or anything still markup-like: not a title.
  if (/[\p{Cc}<>[\]{}|]/u.test(t)) return null;
  if (t.length < TITLE_MIN || t.length > TITLE_MAX) return null;
  return t;
}

export interface TitleRefinerDeps {
  sessions: {
    get(id: string): Promise<SessionWithConfig>;
    rename(id: string, name: string): Promise<unknown>;
    addUsage(id: string, usage: { tokensIn?: number; tokensOut?: number; costUsd?: number }): Promise<void>;
  };
  logs: { tree(sessionId: string): Promise<LogNode[]> };
  writer: Pick<LogWriter, 'startNode' | 'finishNode' | 'flush'>;
  providers: Pick<ProvidersRepository, 'list' | 'resolve'>;
  secrets: Pick<SecretStore, 'get'>;
  /** True while the session still has the name it was given automatically (not the user's). */
  isAutomaticName(name: string, firstMessage: string): boolean;
  logger: { warn: (message: string, error?: unknown) => void };
}

interface Conversation {
  question: string;
  answer: string;
}

function firstExchange(tree: readonly LogNode[]): Conversation | null {
  const question = tree.find((n) => n.parentId === null && n.kind === 'user_message');
  if (!question) return null;
  const answer = tree.find((n) => n.parentId === question.id && n.kind === 'assistant_message' && n.status === 'complete' && n.content.trim());
  return answer ? { question: question.content, answer: answer.content } : null;
}

/** One short streamed call (streaming is what every provider Paddock speaks supports). */
async function ask(model: LanguageModel, prompt: string): Promise<{ text: string; usage: LanguageModelUsage }> {
  const stream = streamText({ model, system: INSTRUCTIONS, prompt, maxOutputTokens: 40, maxRetries: 0, abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS), onError: () => undefined });
  let text = '';
  let usage: LanguageModelUsage | null = null;
  for await (const part of stream.fullStream) {
    if (part.type === 'error') throw part.error;
    if (part.type === 'text-delta') text += part.text;
    if (part.type === 'finish') usage = part.totalUsage;
  }
  if (!usage) throw new Error('The title request ended without finishing');
  return { text, usage };
}

/** Refines one session's title if everything above allows it; never throws. */
export async function refineTitle(deps: TitleRefinerDeps, sessionId: string): Promise<void> {
  try {
    await refine(deps, sessionId);
  } catch (error) {
    deps.logger.warn(`could not refine the title of session ${sessionId}`, error);
  }
}

async function refine(deps: TitleRefinerDeps, sessionId: string): Promise<void> {
  const session = await deps.sessions.get(sessionId);
  const config = session.effectiveConfig;
  if (!refinesTitles(config)) return;
  const tree = await deps.logs.tree(sessionId);
  if (tree.some((n) => n.metadata.titleGeneration === true)) return;
  const first = firstExchange(tree);
  if (!first || !deps.isAutomaticName(session.name, first.question)) return;
  const { provider, modelId } = await resolveModel(deps.providers, { model: config.smallModel ?? config.model });
  const apiKey = await deps.secrets.get(provider.id);
  const model = createLanguageModel({ kind: provider.kind, baseURL: provider.baseURL, apiKey, name: provider.name }, modelId);
  // Marked at once, so a second trigger (another window, a restart mid-call) finds it and stays quiet.
  const nodeId = deps.writer.startNode({ sessionId, kind: 'system', role: 'system', status: 'streaming', model: modelId, provider: provider.name, metadata: { titleGeneration: true } });
  await deps.writer.flush();
  let title: string | null = null;
  try {
    const result = await ask(model, `User: ${first.question.slice(0, EXCERPT)}\n\nAssistant: ${first.answer.slice(0, EXCERPT)}`);
    title = cleanTitle(result.text);
    const usage = { input: result.usage.inputTokens ?? 0, output: result.usage.outputTokens ?? 0, reasoning: 0, cached: result.usage.inputTokenDetails?.cacheReadTokens ?? 0 };
    const costUsd = costOf(usage, provider.models.find((m) => m.id === modelId)?.price ?? null);
    deps.writer.finishNode(nodeId, {
      status: 'complete',
      content: title ? `Title suggested by the small model: ${title}` : 'The small model gave no usable title; the title stays as it was.',
      tokensIn: usage.input,
      tokensOut: usage.output,
      costUsd,
      metadata: { titleGeneration: true, ...(title ? { title } : { rejected: result.text.slice(0, 200) }) },
    });
    await deps.sessions.addUsage(sessionId, { tokensIn: usage.input, tokensOut: usage.output, costUsd });
  } catch (error) {
    deps.writer.finishNode(nodeId, { status: 'error', content: 'The small model could not suggest a title.', metadata: { titleGeneration: true } });
    throw error;
  } finally {
    await deps.writer.flush().catch(() => undefined);
  }
  if (!title) return;
  // The user may have renamed it while the model answered: their name wins.
  const now = await deps.sessions.get(sessionId);
  if (deps.isAutomaticName(now.name, first.question)) await deps.sessions.rename(sessionId, title);
}
