import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/harness';
import { requestBody } from '../testing/runnerTest';
import { cleanTitle, refineTitle, type TitleRefinerDeps } from './refine';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const AUTO = 'auto title';

function deps(harness: Harness, warnings: unknown[] = []): TitleRefinerDeps {
  return {
    sessions: {
      get: (id) => harness.repo.sessions.get(id),
      rename: (id, name) => harness.repo.sessions.update(id, { name }),
      addUsage: (id, usage) => harness.repo.sessions.addUsage(id, usage),
    },
    logs: harness.logs,
    writer: harness.writer,
    providers: harness.providers,
    secrets: harness.secrets,
    isAutomaticName: (name) => name === AUTO,
    logger: { warn: (_m, e) => warnings.push(e) },
  };
}

/** A session whose first message was answered, still called by its automatic name. */
async function answered(harness: Harness, settings: Record<string, unknown>, smallModel: string | null = `${harness.providerId}:test-model`) {
  const s = await harness.newSession({ smallModel, settings: settings as never });
  await harness.repo.sessions.update(s.id, { name: AUTO });
  harness.server.push({ parts: [{ type: 'text', text: 'Use a retry with backoff.' }] });
  await harness.runtime.start({ sessionId: s.id, message: 'how do I handle flaky HTTP calls in my node app' });
  await harness.waitForStatus(s.id, 'completed', 'failed');
  return s;
}

const posts = (harness: Harness) => harness.server.requests.filter((r) => r.method === 'POST').length;

describe('title refinement by the small model', () => {
  it('renames once with a checked title; its tokens and cost are the session’s, on an entry marked as title generation', async () => {
    h = await createHarness();
    const s = await answered(h, { refineTitles: true });
    const before = await h.repo.sessions.get(s.id);
    h.server.push({ parts: [{ type: 'text', text: '**"Retrying flaky HTTP calls."**' }], usage: { input: 120, output: 6 } });
    await refineTitle(deps(h), s.id);
    const after = await h.repo.sessions.get(s.id);
    expect(after.name).toBe('Retrying flaky HTTP calls');
    expect(posts(h)).toBe(2);
    expect(requestBody(h, 1)).toContain('Use a retry with backoff.');
    expect(after.tokensIn - before.tokensIn).toBe(120);
    expect(after.tokensOut - before.tokensOut).toBe(6);
    const marked = (await h.tree(s.id)).filter((n) => n.metadata.titleGeneration === true);
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatchObject({ kind: 'system', status: 'complete', tokensIn: 120, tokensOut: 6, parentId: null, metadata: expect.objectContaining({ title: 'Retrying flaky HTTP calls' }) });
    // Once per session: a second trigger makes no call.
    await h.repo.sessions.update(s.id, { name: AUTO });
    await refineTitle(deps(h), s.id);
    expect(posts(h)).toBe(2);
    expect((await h.repo.sessions.get(s.id)).name).toBe(AUTO);
  });

  it('makes no call when the setting is off, or after the user renamed the session', async () => {
    h = await createHarness();
    const off = await answered(h, {});
    const renamed = await answered(h, { refineTitles: true });
    await h.repo.sessions.update(renamed.id, { name: 'My own name' });
    const calls = posts(h);
    for (const s of [off, renamed]) await refineTitle(deps(h), s.id);
    expect(posts(h)).toBe(calls);
    expect((await h.repo.sessions.get(renamed.id)).name).toBe('My own name');
    expect((await h.repo.sessions.get(off.id)).name).toBe(AUTO);
  });

  it('a failing or unusable reply leaves the title as it was, silently (logged), and the usage still counts', async () => {
    h = await createHarness();
    const failing = await answered(h, { refineTitles: true });
    const warnings: unknown[] = [];
    h.server.push({ error: { status: 500, message: 'down' } });
    await expect(refineTitle(deps(h, warnings), failing.id)).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect((await h.repo.sessions.get(failing.id)).name).toBe(AUTO);

    const junk = await answered(h, { refineTitles: true });
    h.server.push({ parts: [{ type: 'text', text: '<script>x</script>' }], usage: { input: 50, output: 3 } });
    await refineTitle(deps(h), junk.id);
    expect((await h.repo.sessions.get(junk.id)).name).toBe(AUTO);
    expect((await h.tree(junk.id)).find((n) => n.metadata.titleGeneration === true)).toMatchObject({ tokensIn: 50, metadata: expect.objectContaining({ rejected: '<script>x</script>' }) });
  });

  it('cleans and checks what the model wrote', () => {
    expect(cleanTitle('# Title: “Deploying to Fly.io”.\nmore')).toBe('Deploying to Fly.io');
    expect(cleanTitle('  `Fix` the *flaky* test  ')).toBe('Fix the flaky test');
    expect(cleanTitle('ok')).toBeNull();
    expect(cleanTitle('x'.repeat(61))).toBeNull();
    expect(cleanTitle('\n\n')).toBeNull();
    expect(cleanTitle('[link](http://x)')).toBeNull();
  });
});
