// One import path for both kinds of Paddock export: the file says what it is ("format"), so a
// session file dropped on the agent import still lands in the right place.
import { AGENT_EXPORT_FORMAT, SESSION_EXPORT_FORMAT, type AgentExport, type SessionExport } from '../../../shared/ipc';
import { api } from '../../lib/api';
import { openTextFile } from '../../lib/files';
import { useImportReviewStore } from '../import-review/store';
import { useAgentsStore } from '../agents/store';
import { useSessionsStore } from '../sessions/store';
import { useInterchangeStore } from '../interchange/store';
import { toast } from '../../state/ui';
import { runAction } from '../../state/runAction';

/** Asks for a file and imports it, wherever the import was started from. */
export async function importPickedFile(): Promise<void> {
  const file = await openTextFile('.json,.jsonl,.ndjson,application/json');
  if (file) await importExportFile(file.name, file.text);
}

export async function importExportFile(fileName: string, text: string): Promise<void> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON Lines (Claude Code, Codex, AG-UI, OTLP): another tool's transcript.
    await importForeignFile(fileName, text);
    return;
  }
  const format = typeof data === 'object' && data !== null ? (data as { format?: unknown }).format : undefined;
  await runAction(`Could not import “${fileName}”`, async () => {
    if (format === AGENT_EXPORT_FORMAT) {
      // The server validates the whole document; a bad file comes back as a VALIDATION error.
      const agent = await api().agents.import({ data: data as AgentExport });
      useAgentsStore.getState().adoptImported(agent);
      // It arrived disarmed; show the user what the file asked for before anything is armed.
      if (agent.pendingReview) useImportReviewStore.getState().open(agent.id);
      toast(agent.pendingReview ? `Imported agent “${agent.name}” (disarmed: needs review)` : `Imported agent “${agent.name}”`, { tone: 'success' });
    } else if (format === SESSION_EXPORT_FORMAT) {
      const session = await api().sessions.import({ data: data as SessionExport });
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
