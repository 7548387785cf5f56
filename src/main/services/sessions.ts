// Session use cases: CRUD with change events, status transitions (the one place a status
// changes, with its push event), and the versioned export/import that carries the whole log tree.
import type { Page, Session, SessionOverrides, SessionStatus, SessionWithConfig } from '../../shared/domain';
import {
  EXPORT_FORMAT_VERSION,
  PaddockError,
  SESSION_EXPORT_FORMAT,
  type ChannelInput,
  type SessionExport,
} from '../../shared/ipc';
import type { TagCount } from '../../shared/ipc/channels/sessions';
import type { EventBus } from '../ipc/events';
import type { ImportLogNode, LogsRepository } from '../logs';
import type { AgentsRepository } from '../repositories/agents';
import type { ImportsRepository } from '../repositories/imports';
import { prepareSessionImport, toImportNode } from './session-import';
import type { OverridePatch, SessionsRepository, TransitionOptions } from '../repositories/sessions';
import { OVERRIDE_KEYS } from '../repositories/validation';
import { forkSession } from './fork';

export interface SessionsServiceDeps {
  sessions: SessionsRepository;
  agents: AgentsRepository;
  logs: LogsRepository;
  imports: ImportsRepository;
  events: EventBus;
}

type SessionChange = 'created' | 'updated' | 'removed' | 'restored' | 'archived' | 'unarchived' | 'imported' | 'purged';

export class SessionsService {
  readonly #deps: SessionsServiceDeps;

  constructor(deps: SessionsServiceDeps) {
    this.#deps = deps;
  }

  #changed(session: Pick<Session, 'id' | 'agentId'>, change: SessionChange): void {
    this.#deps.events.emit('sessions.changed', { sessionId: session.id, agentId: session.agentId, change });
  }

  /** A new session from this one's log up to a node (services/fork.ts). */
  fork(input: ChannelInput<'sessions.fork'>): Promise<SessionWithConfig> {
    const { sessions, logs, imports, events } = this.#deps;
    return forkSession({ sessions, logs, imports, events }, input);
  }

  /** The repository speaks the contract's list query: no translation here. */
  list(input: ChannelInput<'sessions.list'>): Promise<Page<Session>> {
    return this.#deps.sessions.list(input);
  }

  get(id: string): Promise<SessionWithConfig> {
    return this.#deps.sessions.get(id);
  }

  async create(input: ChannelInput<'sessions.create'>): Promise<SessionWithConfig> {
    const session = await this.#deps.sessions.create(input);
    this.#changed(session, 'created');
    return session;
  }

  async update(input: ChannelInput<'sessions.update'>): Promise<SessionWithConfig> {
    const { name, goal, overrides, externalId } = input.patch;
    const session = await this.#deps.sessions.update(input.id, {
      ...(name !== undefined ? { name } : {}),
      ...(goal !== undefined ? { goal } : {}),
      ...(externalId !== undefined ? { externalId } : {}),
      ...(overrides !== undefined ? { overrides: replaceOverrides(overrides) } : {}),
    });
    this.#changed(session, 'updated');
    return session;
  }

  async pin(input: ChannelInput<'sessions.pin'>): Promise<SessionWithConfig> {
    await this.#deps.sessions.marks.setPinned(input.id, input.pinned);
    const session = await this.#deps.sessions.get(input.id);
    this.#changed(session, 'updated');
    return session;
  }

  async tag(input: ChannelInput<'sessions.tag'>): Promise<SessionWithConfig> {
    await this.#deps.sessions.marks.tag(input.id, input.add, input.remove);
    const session = await this.#deps.sessions.get(input.id);
    this.#changed(session, 'updated');
    return session;
  }

  tags(input: ChannelInput<'sessions.tags'>): Promise<TagCount[]> {
    return this.#deps.sessions.marks.tagCounts(input.agentId ?? null, input.limit);
  }

  async remove(id: string): Promise<Session> {
    const session = await this.#deps.sessions.softDelete(id);
    this.#changed(session, 'removed');
    return session;
  }

  async restore(id: string): Promise<Session> {
    const session = await this.#deps.sessions.restore(id);
    this.#changed(session, 'restored');
    return session;
  }

  async archive(id: string): Promise<Session> {
    const session = await this.#deps.sessions.archive(id);
    this.#changed(session, 'archived');
    return session;
  }

  async unarchive(id: string): Promise<Session> {
    const session = await this.#deps.sessions.unarchive(id);
    this.#changed(session, 'unarchived');
    return session;
  }

  async purge(id: string): Promise<{ id: string }> {
    const session = await this.#deps.sessions.get(id);
    if (!session.deletedAt) throw new PaddockError('CONFLICT', 'Move the session to the trash before deleting it for good');
    await this.#deps.sessions.delete(id);
    this.#changed(session, 'purged');
    return { id };
  }

  /**
   * Every status change goes through here (the runtime included): the repository refuses a move
   * SESSION_TRANSITIONS does not allow (CONFLICT), and every window hears the change with the
   * updated session, so none has to fetch it again.
   */
  async transition(id: string, to: SessionStatus, options: TransitionOptions = {}): Promise<SessionWithConfig> {
    const before = await this.#deps.sessions.get(id);
    const session = await this.#deps.sessions.transition(id, to, options);
    if (before.status !== session.status) {
      const { agentName: _name, effectiveConfig: _config, ...summary } = session;
      this.#deps.events.emit('sessions.statusChanged', {
        sessionId: id,
        agentId: session.agentId,
        from: before.status,
        to: session.status,
        at: session.updatedAt,
        session: summary,
      });
    }
    return session;
  }

  async export(id: string): Promise<SessionExport> {
    const withConfig = await this.#deps.sessions.get(id);
    // A pin is this machine's preference and the source is how it got here: neither travels.
    const { agentName, effectiveConfig: _effective, pinnedAt: _pinned, source: _source, tags, ...untagged } = withConfig;
    // Tags travel when there are any; a session without them exports exactly as before tags existed.
    const session = tags && tags.length > 0 ? { ...untagged, tags } : untagged;
    const pinnedVersion = await this.#deps.agents.getVersion(session.agentVersionId);
    // The whole log in one statement (one snapshot, even while the session is streaming).
    const { nodes, chunks } = await this.#deps.logs.sessionLog(id);
    return {
      format: SESSION_EXPORT_FORMAT,
      version: EXPORT_FORMAT_VERSION,
      exportedAt: new Date().toISOString(),
      session,
      agent: { id: session.agentId, name: agentName, pinnedVersion },
      nodes,
      chunks,
    };
  }

  /**
   * Recreates the session, its pinned agent version (and the agent, when it does not exist
   * here) and its log tree with streamed chunks. Ids are kept when free; with onConflict
   * 'copy' a session that exists here is imported as a copy with fresh ids. A session or node
   * that was live when exported is stored as interrupted: nothing runs it here.
   */
  async import(input: ChannelInput<'sessions.import'>): Promise<SessionWithConfig> {
    const { data } = input;
    const { imports, logs, agents } = this.#deps;
    const nodeIds = new Set(data.nodes.map((n) => n.id));
    const strayChunk = data.chunks.find((c) => !nodeIds.has(c.nodeId));
    if (strayChunk) throw new PaddockError('VALIDATION', `A chunk belongs to node ${strayChunk.nodeId}, which is not in the file`);
    const strayNode = data.nodes.find((n) => n.sessionId !== data.session.id);
    if (strayNode) throw new PaddockError('VALIDATION', `Node ${strayNode.id} belongs to another session`);
    const { session, createdAgent, copy } = await prepareSessionImport({ imports, agents }, data, input.onConflict, input.intoAgentId);
    const sessionId = session.id;

    const chunksByNode = new Map<string, { text: string; atMs: number }[]>();
    for (const chunk of [...data.chunks].sort((a, b) => a.seq - b.seq)) {
      let list = chunksByNode.get(chunk.nodeId);
      if (!list) chunksByNode.set(chunk.nodeId, (list = []));
      list.push({ text: chunk.text, atMs: chunk.atMs });
    }
    const nodes: ImportLogNode[] = data.nodes.map((n) => toImportNode(n, chunksByNode.get(n.id)));

    try {
      await imports.insertSession(session);
      try {
        // Node ids are kept for an exact round trip unless this is a copy of a session already here.
        await logs.importNodes(sessionId, nodes, { newIds: copy });
      } catch (error) {
        await imports.deleteSession(sessionId);
        throw error;
      }
    } catch (error) {
      if (createdAgent) await agents.purge(createdAgent).catch(() => undefined);
      throw error;
    }
    const imported = await this.#deps.sessions.get(sessionId);
    if (createdAgent) this.#deps.events.emit('agents.changed', { agentId: createdAgent, change: 'imported' });
    this.#changed(imported, 'imported');
    return imported;
  }
}

/** The contract's `overrides` replaces the whole set; the repository takes a patch (null clears). */
function replaceOverrides(next: SessionOverrides): OverridePatch {
  return Object.fromEntries(OVERRIDE_KEYS.map((k) => [k, next[k] === undefined ? null : next[k]]));
}

