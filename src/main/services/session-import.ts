// The part of a Paddock session import that comes before its log: the agent and pinned version
// (reused when this database has them, recreated disarmed when not) and the session row as it
// will be stored. Shared by sessions.import (a whole document) and the streamed file import.
import { uuidv7 } from 'uuidv7';
import type { Session } from '../../shared/domain';
import { PaddockError, type SessionExport } from '../../shared/ipc';
import type { ImportsRepository } from '../repositories/imports';
import { disarmConfig, disarmOverrides } from './consent';

export type SessionImportHeader = Pick<SessionExport, 'session' | 'agent'>;

export interface PreparedSessionImport {
  session: Session;
  /** An agent created for this import (purge it if the import fails), or null. */
  createdAgent: string | null;
  /** True when the session exists here already and comes in as a copy with fresh ids. */
  copy: boolean;
}

export async function prepareSessionImport(
  deps: { imports: ImportsRepository },
  data: SessionImportHeader,
  onConflict: 'copy' | 'error',
): Promise<PreparedSessionImport> {
  const { imports } = deps;
  const filePinned = data.agent.pinnedVersion;
  // Sessions carry config too (the pinned version and per-session overrides): both arrive
  // disarmed, and an agent created here for them waits for review like an imported agent.
  const disarmedPinned = disarmConfig(filePinned.config);
  const pinned = { ...filePinned, config: disarmedPinned.config };
  const agentFromFile = (id: string) => ({
    ...pinned.config,
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

  // The agent and pinned version: reuse them when this database has them, else recreate.
  let agentId = pinned.agentId;
  let versionId = pinned.id;
  let createdAgent: string | null = null;
  const versionOwner = await imports.agentOfVersion(pinned.id);
  if (versionOwner !== pinned.agentId) {
    if (versionOwner === null && !(await imports.agentExists(pinned.agentId))) {
      await imports.insertAgent(agentFromFile(pinned.agentId), [pinned]);
      createdAgent = pinned.agentId;
    } else {
      // The id is taken by a different history: bring the pinned config in as a separate agent.
      agentId = uuidv7();
      versionId = uuidv7();
      await imports.insertAgent(agentFromFile(agentId), [{ ...pinned, id: versionId, agentId }]);
      createdAgent = agentId;
    }
  }

  const sessionId = copy ? uuidv7() : data.session.id;
  const parentKnown = data.session.parentSessionId !== null && (await imports.sessionExists(data.session.parentSessionId));
  const wasLive = data.session.status === 'running';
  const session: Session = {
    ...data.session,
    overrides: disarmOverrides(data.session.overrides),
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
