import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { RESUME_NOTE } from './conversation';
import { RETRY_NOTE } from './run/retry';
import { createHarness, shape, type Harness } from './testing/harness';
import { byKind, requestBody } from './testing/runnerTest';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const body = (i: number) => requestBody(h!, i);
const messagesOf = (i: number) => (JSON.parse(body(i)) as { messages: unknown[] }).messages;
const statusesOf = (sessionId: string) =>
  h!.events.filter((e) => e.event === 'sessions.statusChanged' && (e.payload as { sessionId: string }).sessionId === sessionId).map((e) => (e.payload as { to: string }).to);

describe('retrying a failed step', () => {
  it('a model call that failed once is asked again with the same conversation; the failed attempt stays as a sibling', async () => {
    h = await createHarness();
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text: 'Half an ans' }], streamError: 'upstream overloaded' });
    await h.runtime.start({ sessionId: s.id, message: 'What is 2+2?' });
    expect((await h.waitForStatus(s.id, 'failed', 'completed')).status).toBe('failed');
    const error = byKind(await h.tree(s.id), 'error')[0]!;

    h.server.push({ parts: [{ type: 'text', text: '4.' }] });
    await h.runtime.retry({ nodeId: error.id });
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    expect(statusesOf(s.id)).toEqual(['running', 'failed', 'running', 'completed']);
    // The same request again: no partial text of the failed attempt, no "continue" note.
    expect(messagesOf(1)).toEqual(messagesOf(0));
    expect(body(1)).not.toContain('Half an ans');
    expect(body(1)).not.toContain(RESUME_NOTE);
    const nodes = await h.tree(s.id);
    expect(shape(nodes)).toEqual(['user_message:complete', '  assistant_message:error', '  error:error', '  system:complete', '  assistant_message:complete']);
    const note = byKind(nodes, 'system')[0]!;
    expect(note.content).toBe(RETRY_NOTE);
    expect(note.metadata).toMatchObject({ retryOf: error.id, supersedes: [byKind(nodes, 'assistant_message')[0]!.id, error.id] });

    // Later runs leave the failed attempt out too.
    h.server.push({ parts: [{ type: 'text', text: '6.' }] });
    await h.runtime.send({ sessionId: s.id, message: 'And 3+3?' });
    await h.waitForStatus(s.id, 'running');
    await h.waitForStatus(s.id, 'completed', 'failed');
    expect(body(2)).not.toContain('Half an ans');
    expect(body(2)).toContain('4.');
  });

  it('a failed tool call runs again and the model goes on from its new result; what followed the failure is not sent again', async () => {
    h = await createHarness();
    const s = await h.newSession({ permissionMode: 'bypassPermissions' });
    h.server.push(
      { parts: [{ type: 'tool_call', name: 'read_file', args: { path: 'notes.txt' } }] },
      { parts: [{ type: 'text', text: 'Sorry, there is no such file.' }] },
    );
    await h.runtime.start({ sessionId: s.id, message: 'read my notes' });
    await h.waitForStatus(s.id, 'completed', 'failed');
    const failed = byKind(await h.tree(s.id), 'action')[0]!;
    expect(byKind(await h.tree(s.id), 'observation')[0]!.status).toBe('error');

    fs.writeFileSync(path.join(h.workDir, 'notes.txt'), 'buy milk');
    h.server.push({ parts: [{ type: 'text', text: 'Your notes say: buy milk.' }] });
    await h.runtime.retry({ nodeId: failed.id });
    expect((await h.waitForStatus(s.id, 'completed', 'failed')).status).toBe('completed');
    expect(statusesOf(s.id)).toEqual(['running', 'completed', 'running', 'completed']);
    expect(body(2)).toContain('buy milk');
    expect(body(2)).not.toContain('Sorry, there is no such file.');
    // One tool call in the request, answered once: by the new result.
    const sent = messagesOf(2) as { role: string }[];
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    const nodes = await h.tree(s.id);
    const actions = byKind(nodes, 'action');
    expect(actions).toHaveLength(2);
    expect(actions[1]).toMatchObject({ status: 'complete', causeId: failed.id, metadata: expect.objectContaining({ retryOf: failed.id, toolCallId: failed.metadata.toolCallId }) });
    expect(actions[1]!.metadata.supersedes).toEqual([byKind(nodes, 'assistant_message')[1]!.id]);
    expect(shape(nodes)).toEqual([
      'user_message:complete',
      '  assistant_message:complete',
      '    action:error(read_file)',
      '      observation:error(read_file)',
      '    action:complete(read_file)',
      '      observation:complete(read_file)',
      '  assistant_message:complete',
      '  assistant_message:complete',
    ]);
  });

  it('refuses what it cannot retry, with a clear reason', async () => {
    h = await createHarness();
    const s = await h.newSession();
    h.server.push({ parts: [{ type: 'text', text: 'Fine.' }] }, { error: { status: 500, message: 'boom' } });
    await h.runtime.start({ sessionId: s.id, message: 'first' });
    await h.waitForStatus(s.id, 'completed');
    const ok = byKind(await h.tree(s.id), 'assistant_message')[0]!;
    await expect(h.runtime.retry({ nodeId: ok.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/Only a failed/) });
    await h.runtime.send({ sessionId: s.id, message: 'second' });
    await h.waitForStatus(s.id, 'failed');
    h.server.push({ parts: [{ type: 'text', text: 'Third.' }] });
    await h.runtime.send({ sessionId: s.id, message: 'third' });
    await h.waitForStatus(s.id, 'completed');
    // The failure belongs to an earlier message now.
    const oldError = byKind(await h.tree(s.id), 'error')[0]!;
    await expect(h.runtime.retry({ nodeId: oldError.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/latest message/) });
    await expect(h.runtime.retry({ nodeId: '01890a5d-ac96-774b-bcce-b302099a8057' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
