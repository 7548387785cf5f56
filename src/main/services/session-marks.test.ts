// Pins and tags through the sessions service: every window hears the change, tags travel in a
// Paddock export and come back on import, a pin and the import source do not travel.
// Real migrated database, real services; inputs parsed by the contract's own schemas.
import { describe, expect, it } from 'vitest';
import { sessionExportSchema } from '../../shared/ipc';
import { sessionPinInputSchema, sessionTagInputSchema, sessionTagsInputSchema } from '../../shared/ipc/channels/sessions';
import { EventBus } from '../ipc/events';
import { LogsRepository } from '../logs';
import { ImportsRepository } from '../repositories/imports';
import { repoDbPerTest } from '../repositories/testing';
import { SessionsService } from './sessions';

const openRepo = repoDbPerTest();

async function rig() {
  const repo = await openRepo();
  const events = new EventBus({ error: () => undefined });
  const heard: unknown[] = [];
  events.subscribe((event, payload) => heard.push({ event, payload }));
  const sessions = new SessionsService({ sessions: repo.sessions, agents: repo.agents, logs: new LogsRepository(repo.client), imports: new ImportsRepository(repo.client), events });
  const agent = await repo.agents.create({ name: 'Coder' });
  return { repo, sessions, agent, heard };
}

describe('sessions.pin / tag / tags', () => {
  it('pin and tag answer the updated session and tell every window', async () => {
    const { sessions, agent, heard } = await rig();
    const s = await sessions.create({ agentId: agent.id });
    heard.length = 0;
    const pinned = await sessions.pin(sessionPinInputSchema.parse({ id: s.id, pinned: true }));
    expect(pinned.pinnedAt).not.toBeNull();
    const tagged = await sessions.tag(sessionTagInputSchema.parse({ id: s.id, add: ['Bug', 'ui'] }));
    expect(tagged.tags).toEqual(['bug', 'ui']);
    expect(heard).toEqual([
      { event: 'sessions.changed', payload: { sessionId: s.id, agentId: agent.id, change: 'updated' } },
      { event: 'sessions.changed', payload: { sessionId: s.id, agentId: agent.id, change: 'updated' } },
    ]);
    expect(await sessions.tags(sessionTagsInputSchema.parse(undefined))).toEqual([
      { tag: 'bug', count: 1 },
      { tag: 'ui', count: 1 },
    ]);
  });

  it('a Paddock export carries the tags (not the pin or the source); importing it restores them', async () => {
    const { repo, sessions, agent } = await rig();
    const s = await sessions.create({ agentId: agent.id, name: 'tagged' });
    await sessions.tag(sessionTagInputSchema.parse({ id: s.id, add: ['release', 'bug'] }));
    await sessions.pin(sessionPinInputSchema.parse({ id: s.id, pinned: true }));

    const exported = await sessions.export(s.id);
    expect(exported.session.tags).toEqual(['bug', 'release']);
    expect(exported.session).not.toHaveProperty('pinnedAt');
    expect(exported.session).not.toHaveProperty('source');

    const file = sessionExportSchema.parse(JSON.parse(JSON.stringify(exported)));
    const copy = await sessions.import({ data: file, onConflict: 'copy' });
    expect(copy.id).not.toBe(s.id);
    expect(copy.tags).toEqual(['bug', 'release']);
    expect(copy.pinnedAt).toBeNull();
    expect(copy.source).toBeNull(); // a whole-document import records no source file

    // A file written before tags existed still imports.
    const { tags: _t, ...old } = file.session;
    const plain = await sessions.import({ data: { ...file, session: old }, onConflict: 'copy' });
    expect(plain.tags).toEqual([]);
    // A hand-edited file with a bad tag is refused by the schema before any write.
    expect(sessionExportSchema.safeParse({ ...file, session: { ...file.session, tags: ['no spaces allowed'] } }).success).toBe(false);
    expect((await repo.client.execute('SELECT count(*) AS n FROM session_tags')).rows[0]!['n']).toBe(4);
  });
});
