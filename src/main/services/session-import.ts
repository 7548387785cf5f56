// The part of a Paddock session import that comes before its log: the agent and pinned version
// (reused when this database has them, recreated disarmed when not) and the session row as it
// will be stored. Shared by sessions.import (a whole document) and the streamed file import.
import { uuidv7 } from 'uuidv7';
import type { AgentConfig, LogNode, Session, SessionOverrides } from '../../shared/domain';
import { PaddockError, type SessionExport } from '../../shared/ipc';
import type { ImportLogNode } from '../logs';
import type { AgentsRepository } from '../repositories/agents';
import type { ImportsRepository } from '../repositories/imports';
import { disarmConfig, disarmOverrides } from './consent';
import { uniqueName } from './names';

export type SessionImportHeader = Pick<SessionExport, 'session' | 'agent'>;

export interface PreparedSessionImport {
  session: Session;
  /** An agent created for this import (purge it if the import fails), or null. */
  createdAgent: string | null;
  /** True when the session exists here already and comes in as a copy with fresh ids. */
  copy: boolean;
}

export async function prepareSessionImport(
  deps: { imports: ImportsRepository; agents?: AgentsRepository },
  data: SessionImportHeader,
  onConflict: 'copy' | 'error',
  /** The agent the user imports into (the sessions pane they started from); else the file's own. */
  intoAgentId?: string,
): Promise<PreparedSessionImport> {
  const { imports, agents } = deps;
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
  const exists = await imports.sessionExists(data.session.id);
  if (exists && onConflict === 'error') throw new PaddockError('CONFLICT', `A session with id ${data.session.id} already exists`);
  const copy = exists;

  // The agent and pinned version: the agent the user imports into, else the file's when this
  // database has it, else recreated from the file.
  let agentId = pinned.agentId;
  let versionId = pinned.id;
  let createdAgent: string | null = null;
  let overrides = disarmOverrides(data.session.overrides);
  const into = agents && intoAgentId && intoAgentId !== pinned.agentId ? await agents.get(intoAgentId) : null;
  if (into && agents) {
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
  return { session, createdAgent, copy };
}

/** A pinned config (already disarmed) as session overrides: everything but the agent's identity. */
function recordedOverrides(config: AgentConfig): SessionOverrides {
  const { name: _name, description: _description, avatar: _avatar, type: _type, ...rest } = config;
  return rest;
}

/** A stored or exported log node as the log store's import takes it (a fork copies, an import recreates). */
export function toImportNode(n: LogNode, chunks?: { text: string; atMs: number }[]): ImportLogNode {
  return {
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
    ...(chunks ? { chunks } : {}),
  };
}
