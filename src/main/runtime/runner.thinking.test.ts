// Thinking is recorded where it happened in the stream: a model that thinks and then answers
// leaves a step whose thought child started, and streamed, before the step's first piece of
// answer text. The tree draws the answer after that thinking from exactly this (the
// renderer's tree/answerRows.ts), live and after a restart alike.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../shared/ipc/channels/providers';
import { createHarness, shape, type Harness } from './testing/harness';
import { byKind } from './testing/runnerTest';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const at = (iso: string, offsetMs: number) => Date.parse(iso) + offsetMs;

describe('thinking then text', () => {
  it.each<ProviderKind>(['openai-compatible', 'anthropic'])('%s: the thought is the step\'s first child and streamed before its answer', async (kind) => {
    h = await createHarness({ kind });
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'reasoning', text: 'The user wants a number; 6 times 7.' }, { type: 'text', text: 'It is 42.' }], delayMs: 3 });
    await h.runtime.start({ sessionId: s.id, message: 'six times seven?' });
    await h.waitForStatus(s.id, 'completed', 'failed');
    const nodes = await h.tree(s.id);
    expect(shape(nodes)).toEqual(['user_message:complete', '  assistant_message:complete', '    thought:complete']);
    const step = byKind(nodes, 'assistant_message')[0]!;
    const thought = byKind(nodes, 'thought')[0]!;
    expect(step.content).toBe('It is 42.');
    expect(thought).toMatchObject({ parentId: step.id, content: 'The user wants a number; 6 times 7.' });

    const thoughtChunks = await h.logs.chunks(thought.id);
    const textChunks = await h.logs.chunks(step.id);
    expect(thoughtChunks.length).toBeGreaterThan(1);
    const lastThinking = at(thought.startedAt, thoughtChunks.at(-1)!.atMs);
    const firstText = at(step.startedAt, textChunks[0]!.atMs);
    expect(lastThinking).toBeLessThanOrEqual(firstText);
    // The thought ended before the answer did: it is not a late addition to a finished answer.
    expect(Date.parse(thought.endedAt!)).toBeLessThanOrEqual(Date.parse(step.endedAt!));
  });
});
