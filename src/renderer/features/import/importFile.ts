// One import path for both kinds of Paddock export: the file says what it is ("format"), so a
// session file dropped on the agent import still lands in the right place.
import { AGENT_EXPORT_FORMAT, SESSION_EXPORT_FORMAT, type AgentExport, type SessionExport } from '../../../shared/ipc';
import { api } from '../../lib/api';
import { openTextFile } from '../../lib/files';
import { useImportReviewStore } from '../import-review/store';
import { useAgentsStore } from '../agents/store';
import { useSessionsStore } from '../sessions/store';
import { toast } from '../../state/ui';
import { runAction } from '../../state/runAction';

/** Asks for a file and imports it, wherever the import was started from. */
export async function importPickedFile(): Promise<void> {
  const file = await openTextFile();
  if (file) await importExportFile(file.name, file.text);
}

export async function importExportFile(fileName: string, text: string): Promise<void> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    toast(`“${fileName}” is not a JSON file.`, { tone: 'error' });
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
      toast(`“${fileName}” is not a Paddock agent or session export.`, { tone: 'error' });
    }
  }, { timeoutMs: 15_000 });
}
