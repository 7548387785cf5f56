// Imports land where the user is and never make look-alike agents: a session file imported
// from agent B goes under B (keeping what it was recorded with), and an agent whose name is
// taken arrives with a suffix. Real migrated database, real services.
import { describe, expect, it } from 'vitest';
import { sessionExportSchema, agentExportSchema } from '../../shared/ipc';
import { EventBus } from '../ipc/events';
import { ImportsRepository } from '../repositories/imports';
import { repoDbPerTest } from '../repositories/testing';
import { LogsRepository } from '../logs';
import { AgentsService } from './agents';
import { uniqueName } from './names';
import { SessionsService } from './sessions';

const openRepo = repoDbPerTest();

async function rig() {
  const repo = await openRepo();
  const events = new EventBus({ error: () => undefined });
  const imports = new ImportsRepository(repo.client);
  const agents = new AgentsService({ agents: repo.agents, imports, events });
  const sessions = new SessionsService({ sessions: repo.sessions, agents: repo.agents, logs: new LogsRepository(repo.client), imports, events });
  return { repo, agents, sessions };
}

/** What a file on disk carries: the export as JSON, read back through the contract's schema. */
const asFile = <T>(schema: { parse: (v: unknown) => T }, value: unknown): T => schema.parse(JSON.parse(JSON.stringify(value)));

describe('uniqueName', () => {
  it('suffixes the smallest free number', () => {
    expect(uniqueName('A', [])).toBe('A');
    expect(uniqueName('A', ['A'])).toBe('A (2)');
    expect(uniqueName('A', ['A', 'A (2)', 'A (4)'])).toBe('A (3)');
  });
});

describe('import targets', () => {
  it('an agent imported next to one of the same name gets a suffix, its current version too', async () => {
    const { repo, agents } = await rig();
    const original = await repo.agents.create({ name: 'Reviewer', instructions: 'Review.' });
    const file = asFile(agentExportSchema, await agents.export(original.id));
    const copy = await agents.import({ data: file, onConflict: 'copy' });
    expect(copy.name).toBe('Reviewer (2)');
    const third = await agents.import({ data: file, onConflict: 'copy' });
    expect(third.name).toBe('Reviewer (3)');
    expect((await agents.versions(third.id)).find((v) => v.version === third.version)!.config.name).toBe('Reviewer (3)');
  });

  it('a session imported into another agent is listed there and keeps the settings it was recorded with', async () => {
    const { repo, sessions } = await rig();
    const a = await repo.agents.create({ name: 'Agent A', instructions: 'Be A.', model: 'p:model-a', permissionMode: 'readOnly' });
    const b = await repo.agents.create({ name: 'Agent B', instructions: 'Be B.', model: 'p:model-b' });
    const recorded = await sessions.create({ agentId: a.id, name: 'From A' });
    const file = asFile(sessionExportSchema, await sessions.export(recorded.id));

    const imported = await sessions.import({ data: file, onConflict: 'copy', intoAgentId: b.id });
    expect(imported.agentId).toBe(b.id);
    expect(imported.agentName).toBe('Agent B');
    expect(imported.effectiveConfig.instructions).toBe('Be A.');
    expect(imported.effectiveConfig.model).toBe('p:model-a');
    expect(imported.effectiveConfig.permissionMode).toBe('readOnly');
    // B itself is untouched, and no agent was created.
    expect((await repo.agents.get(b.id)).version).toBe(1);
    expect((await repo.agents.list()).items.map((x) => x.name).sort()).toEqual(['Agent A', 'Agent B']);

    // Without a target it goes to its own agent, as before.
    const own = await sessions.import({ data: file, onConflict: 'copy' });
    expect(own.agentId).toBe(a.id);
  });

  it('refuses to import into an agent in the trash', async () => {
    const { repo, sessions } = await rig();
    const a = await repo.agents.create({ name: 'Agent A' });
    const b = await repo.agents.create({ name: 'Agent B' });
    const file = asFile(sessionExportSchema, await sessions.export((await sessions.create({ agentId: a.id })).id));
    await repo.agents.softDelete(b.id);
    await expect(sessions.import({ data: file, onConflict: 'copy', intoAgentId: b.id })).rejects.toThrow(/in the trash/);
  });
});
