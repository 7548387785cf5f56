// Session use cases: CRUD with change events, status transitions (the one place a status
// changes, with its push event), and the versioned export/import that carries the whole log tree.
import { uuidv7 } from 'uuidv7';
import type { AgentConfig, Page, Session, SessionOverrides, SessionStatus, SessionWithConfig } from '../../shared/domain';
import {
  EXPORT_FORMAT_VERSION,
  PaddockError,
  SESSION_EXPORT_FORMAT,
  type ChannelInput,
  type SessionExport,
} from '../../shared/ipc';
import type { EventBus } from '../ipc/events';
import type { ImportLogNode, LogsRepository } from '../logs';
import type { AgentsRepository } from '../repositories/agents';
import type { ImportsRepository } from '../repositories/imports';
import type { SessionsRepository, TransitionOptions } from '../repositories/sessions';
import { disarmConfig, disarmOverrides } from './consent';
import { forkSession } from './fork';
import { uniqueName } from './names';

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
    const session = await this.#deps.sessions.create({
      agentId: input.agentId,
      ...(input.name ? { name: input.name } : {}),
      ...(input.goal !== undefined ? { goal: input.goal } : {}),
      ...(input.overrides ? { overrides: input.overrides } : {}),
      ...(input.parentSessionId !== undefined ? { parentSessionId: input.parentSessionId } : {}),
      ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
    });
    this.#changed(session, 'created');
    return session;
  }

  async update(input: ChannelInput<'sessions.update'>): Promise<SessionWithConfig> {
    const { name, goal, overrides } = input.patch;
    const session = await this.#deps.sessions.update(input.id, {
      ...(name !== undefined ? { name } : {}),
      ...(goal !== undefined ? { goal } : {}),
      ...(overrides !== undefined ? { overrides: replaceOverrides(overrides) } : {}),
    });
    this.#changed(session, 'updated');
    return session;
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
    const { agentName, effectiveConfig: _effective, ...session } = withConfig;
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
    const filePinned = data.agent.pinnedVersion;
    // Sessions carry config too (the pinned version and per-session overrides): both arrive
    // disarmed, and an agent created here for them waits for review like an imported agent.
    const disarmedPinned = disarmConfig(filePinned.config);
    const pinned = { ...filePinned, config: disarmedPinned.config };
    const agentFromFile = async (id: string) => ({
      ...pinned.config,
      name: uniqueName(pinned.config.name, await imports.namesLike(pinned.config.name)),
      id,
      version: pinned.version,
      createdAt: pinned.createdAt,
      updatedAt: pinned.createdAt,
      deletedAt: null,
      pendingReview: disarmedPinned.review,
    });
    if (pinned.id !== data.session.agentVersionId || pinned.agentId !== data.session.agentId) {
      throw new PaddockError('VALIDATION', "The file's pinned agent version does not match its session");
    }
    const nodeIds = new Set(data.nodes.map((n) => n.id));
    const strayChunk = data.chunks.find((c) => !nodeIds.has(c.nodeId));
    if (strayChunk) throw new PaddockError('VALIDATION', `A chunk belongs to node ${strayChunk.nodeId}, which is not in the file`);
    const strayNode = data.nodes.find((n) => n.sessionId !== data.session.id);
    if (strayNode) throw new PaddockError('VALIDATION', `Node ${strayNode.id} belongs to another session`);

    const exists = await imports.sessionExists(data.session.id);
    if (exists && input.onConflict === 'error') throw new PaddockError('CONFLICT', `A session with id ${data.session.id} already exists`);
    const copy = exists;

    // The agent and pinned version: the agent the user imports into, else the file's when this
    // database has it, else recreated from the file.
    let agentId = pinned.agentId;
    let versionId = pinned.id;
    let createdAgent: string | null = null;
    let overrides = disarmOverrides(data.session.overrides);
    const into = input.intoAgentId && input.intoAgentId !== pinned.agentId ? await agents.get(input.intoAgentId) : null;
    if (into) {
      if (into.deletedAt) throw new PaddockError('VALIDATION', `Agent “${into.name}” is in the trash; restore it before importing into it`);
      agentId = into.id;
      versionId = (await agents.versions(into.id)).find((v) => v.version === into.version)!.id;
      // What the session was recorded with stays its own: the file's settings as overrides.
      overrides = { ...recordedOverrides(pinned.config), ...overrides };
    } else {
      const versionOwner = await imports.agentOfVersion(pinned.id);
      if (versionOwner !== pinned.agentId) {
        if (versionOwner === null && !(await imports.agentExists(pinned.agentId))) {
          await imports.insertAgent(await agentFromFile(pinned.agentId), [pinned]);
          createdAgent = pinned.agentId;
        } else {
          // The id is taken by a different history: bring the pinned config in as a separate agent.
          agentId = uuidv7();
          versionId = uuidv7();
          await imports.insertAgent(await agentFromFile(agentId), [{ ...pinned, id: versionId, agentId }]);
          createdAgent = agentId;
        }
      }
    }

    const sessionId = copy ? uuidv7() : data.session.id;
    const parentKnown = data.session.parentSessionId !== null && (await imports.sessionExists(data.session.parentSessionId));
    const wasLive = data.session.status === 'running';
    const session: Session = {
      ...data.session,
      overrides,
      id: sessionId,
      agentId,
      agentVersionId: versionId,
      parentSessionId: parentKnown ? data.session.parentSessionId : null,
      externalId: copy ? null : data.session.externalId,
      status: wasLive ? 'interrupted' : data.session.status,
      endedAt: wasLive ? (data.session.endedAt ?? data.session.startedAt) : data.session.endedAt,
    };

    const chunksByNode = new Map<string, { text: string; atMs: number }[]>();
    for (const chunk of [...data.chunks].sort((a, b) => a.seq - b.seq)) {
      let list = chunksByNode.get(chunk.nodeId);
      if (!list) chunksByNode.set(chunk.nodeId, (list = []));
      list.push({ text: chunk.text, atMs: chunk.atMs });
    }
    const nodes: ImportLogNode[] = data.nodes.map((n) => ({
      id: n.id,
      parentId: n.parentId,
      causeId: n.causeId,
      seq: n.seq,
      kind: n.kind,
      role: n.role as ImportLogNode['role'],
      status: n.status,
      content: n.content,
      metadata: n.metadata,
      model: n.model,
      provider: n.provider,
      tokensIn: n.tokensIn,
      tokensOut: n.tokensOut,
      tokensReasoning: n.tokensReasoning,
      costUsd: n.costUsd,
      startedAt: n.startedAt,
      endedAt: n.endedAt,
      toolName: n.toolName,
      toolArgs: n.toolArgs,
      toolResult: n.toolResult,
      durationMs: n.durationMs,
      ...(chunksByNode.has(n.id) ? { chunks: chunksByNode.get(n.id)! } : {}),
    }));

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
function replaceOverrides(next: Record<string, unknown>): Record<string, unknown> {
  const keys = [
    'instructions', 'model', 'planModel', 'smallModel', 'builtinTools', 'mcpServers', 'knowledge',
    'accessiblePaths', 'permissionMode', 'maxSteps', 'settings', 'schedule',
  ];
  return Object.fromEntries(keys.map((k) => [k, next[k] === undefined ? null : next[k]]));
}

/** A pinned config (already disarmed) as session overrides: everything but the agent's identity. */
function recordedOverrides(config: AgentConfig): SessionOverrides {
  const { name: _name, description: _description, avatar: _avatar, type: _type, ...rest } = config;
  return rest;
}
