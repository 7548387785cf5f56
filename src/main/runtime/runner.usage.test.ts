// Usage of a turn that ends early: what the provider reported before a stop (or before the
// process died) is recorded on the turn and in the session's totals, never lost and never
// counted twice. The fake provider speaks Anthropic's wire protocol, which states the input
// tokens in its first event (message_start) and the output only in message_delta at the end.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, TEST_MODEL, type Harness } from './testing/harness';
import { byKind, until } from './testing/runnerTest';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const text = 'The first part of an answer that will be cut short by the stop button.';
const price = TEST_MODEL.price!;

describe('usage of a stopped turn', () => {
  it('stop after message_start: the reported input (and the written output, estimated) is on the turn and in the totals', async () => {
    h = await createHarness({ kind: 'anthropic' });
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text }], usage: { input: 1234, output: 99, cached: 200 }, hang: true });
    await h.runtime.start({ sessionId: s.id, message: 'go' });
    await until(async () => byKind(await h!.tree(s.id), 'assistant_message').find((n) => n.content === text));
    await h.runtime.stop(s.id);
    expect((await h.repo.sessions.get(s.id)).status).toBe('stopped');

    const turn = byKind(await h.tree(s.id), 'assistant_message')[0]!;
    const output = Math.ceil(text.length / 3);
    expect(turn).toMatchObject({ status: 'interrupted', tokensIn: 1234, tokensOut: output });
    expect(turn.metadata).toMatchObject({ stopped: true, usagePartial: true, outputEstimated: true, tokensCached: 200 });
    const cost = ((1234 - 200) * price.input + 200 * price.cachedInput! + output * price.output) / 1_000_000;
    expect(turn.costUsd).toBeCloseTo(cost, 12);
    const session = await h.repo.sessions.get(s.id);
    expect(session).toMatchObject({ tokensIn: 1234, tokensOut: output, tokensCached: 200 });
    expect(session.costUsd).toBeCloseTo(cost, 12);
    // The windows heard of it like of any finished call.
    expect(h.events.some((e) => e.event === 'sessions.usage' && (e.payload as { nodeId: string }).nodeId === turn.id)).toBe(true);
  });

  it('a provider that reported nothing before the stop leaves the totals at zero', async () => {
    h = await createHarness();
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text }], hang: true });
    await h.runtime.start({ sessionId: s.id, message: 'go' });
    await until(async () => byKind(await h!.tree(s.id), 'assistant_message').find((n) => n.content === text));
    await h.runtime.stop(s.id);
    const turn = byKind(await h.tree(s.id), 'assistant_message')[0]!;
    expect(turn).toMatchObject({ status: 'interrupted', tokensIn: 0, tokensOut: 0 });
    expect((await h.repo.sessions.get(s.id)).tokensIn).toBe(0);
  });
});

describe('usage of an interrupted turn (the process ends, the app starts again)', () => {
  it('the input reported at message_start is stored at once and counted into the totals by the start-up sweep', async () => {
    h = await createHarness({ kind: 'anthropic' });
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text }], usage: { input: 2000, output: 10 }, hang: true });
    await h.runtime.start({ sessionId: s.id, message: 'go' });
    // Stored while the node still streams: what a crash at this point leaves in the database.
    const live = await until(async () => byKind(await h!.tree(s.id), 'assistant_message').find((n) => n.content === text && n.tokensIn === 2000));
    expect(live.status).toBe('streaming');
    expect((await h.repo.sessions.get(s.id)).tokensIn).toBe(0);

    await h.restart();
    const turn = byKind(await h.logs.tree(s.id), 'assistant_message')[0]!;
    expect(turn).toMatchObject({ status: 'interrupted', content: text, tokensIn: 2000, metadata: expect.objectContaining({ usagePartial: true }) });
    const session = await h.repo.sessions.get(s.id);
    expect(session.tokensIn).toBe(2000);
    expect(session.costUsd).toBeCloseTo((2000 * price.input) / 1_000_000, 12);
  });
});
