// One import path for both kinds of Paddock export: the file says what it is ("format"), so a
// session file dropped on the agent import still lands in the right place.
import { AGENT_EXPORT_FORMAT, SESSION_EXPORT_FORMAT, type AgentExport, type SessionExport } from '../../../shared/ipc';
import { api } from '../../lib/api';
import { openTextFile } from '../../lib/files';
import { useImportReviewStore } from '../import-review/store';
import { useAgentsStore } from '../agents/store';
import { useSessionsStore } from '../sessions/store';
import { useInterchangeStore } from '../interchange/store';
import { chooseAction, toast } from '../../state/ui';
import { runAction } from '../../state/runAction';

/**
 * Asks for a file and imports it. `intoAgentId`: the agent the import was started from (the
 * sessions pane of an agent); a session file then goes there. From the sidebar it goes to the
 * file's own agent.
 */
export async function importPickedFile(intoAgentId?: string): Promise<void> {
  const file = await openTextFile('.json,.jsonl,.ndjson,application/json');
  if (file) await importExportFile(file.name, file.text, intoAgentId);
}

export async function importExportFile(fileName: string, text: string, targetAgentId?: string): Promise<void> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON Lines (Claude Code, Codex, AG-UI, OTLP): another tool's transcript.
    await importForeignFile(fileName, text);
    return;
  }
  const format = typeof data === 'object' && data !== null ? (data as { format?: unknown }).format : undefined;
  // Asked before the import starts (the import's time limit must not run while the user reads).
  const intoAgentId = targetAgentId && format === SESSION_EXPORT_FORMAT && isSessionFile(data) ? await chooseSessionTarget(data, targetAgentId) : null;
  if (intoAgentId === false) return;
  await runAction(`Could not import “${fileName}”`, async () => {
    if (format === AGENT_EXPORT_FORMAT) {
      // The server validates the whole document; a bad file comes back as a VALIDATION error.
      const agent = await api().agents.import({ data: data as AgentExport });
      useAgentsStore.getState().adoptImported(agent);
      // It arrived disarmed; show the user what the file asked for before anything is armed.
      if (agent.pendingReview) useImportReviewStore.getState().open(agent.id);
      toast(agent.pendingReview ? `Imported agent “${agent.name}” (disarmed: needs review)` : `Imported agent “${agent.name}”`, { tone: 'success' });
    } else if (format === SESSION_EXPORT_FORMAT) {
      const file = data as SessionExport;
      const session = await api().sessions.import({ data: file, ...(intoAgentId ? { intoAgentId } : {}) });
      // Show the session under its agent (the import may have created that agent).
      const agents = useAgentsStore.getState();
      if (agents.view !== 'active') agents.setView('active');
      await agents.refreshOne(session.agentId);
      agents.select(session.agentId);
      useSessionsStore.getState().setAgent(session.agentId);
      useSessionsStore.getState().adoptImported(session);
      toast(`Imported session “${session.name}”`, { tone: 'success' });
    } else {
      await importForeignFile(fileName, text);
    }
  }, { timeoutMs: 15_000 });
}

/** Another tool's transcript (or an OTLP document): the server detects the format and streams it in. */
async function importForeignFile(fileName: string, text: string): Promise<void> {
  const r = await useInterchangeStore.getState().importText(fileName, text);
  if (!r) return;
  const agents = useAgentsStore.getState();
  if (agents.view !== 'active') agents.setView('active');
  await agents.refreshOne(r.agentId);
  agents.select(r.agentId);
  useSessionsStore.getState().setAgent(r.agentId);
  toast(`Imported ${r.nodes.toLocaleString()} log entries from “${fileName}”`, { tone: 'success' });
}

/**
 * A session goes where the user is: into the agent it was imported from. When the file was recorded by
 * another agent, ask — into this one (keeping the settings it was recorded with) or under its
 * own agent. Resolves the target agent id, null for the file's own agent, false for cancel.
 */
async function chooseSessionTarget(file: SessionExport, targetAgentId: string): Promise<string | null | false> {
  const current = useAgentsStore.getState().items.find((a) => a.id === targetAgentId && !a.deletedAt);
  const fileAgentId = file.agent.pinnedVersion.agentId;
  if (!current || current.id === fileAgentId) return null;
  const fileAgentName = file.agent.pinnedVersion.config.name;
  const answer = await chooseAction({
    title: `Import into “${current.name}”?`,
    message: `This session was recorded by the agent “${fileAgentName}”. In “${current.name}” it keeps the settings it was recorded with.`,
    confirmLabel: `Import into “${current.name}”`,
    alternativeLabel: `Under “${fileAgentName}”`,
  });
  return answer === 'confirm' ? current.id : answer === 'alternative' ? null : false;
}

/** Just enough shape to ask the question; the server validates the whole file. */
function isSessionFile(data: unknown): data is SessionExport {
  const agent = (data as { agent?: { pinnedVersion?: { agentId?: unknown; config?: { name?: unknown } } } }).agent;
  return typeof agent?.pinnedVersion?.agentId === 'string' && typeof agent.pinnedVersion.config?.name === 'string';
}
