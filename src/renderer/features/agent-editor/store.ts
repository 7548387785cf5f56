// Agent editor slice: the open dialog, its draft, validation, save, the unsaved-changes guard
// and the agent's version history.
import { create } from 'zustand';
import type { Agent, AgentConfig, AgentVersion } from '../../../shared/domain';
import { api } from '../../lib/api';
import { errorCode, errorMessage } from '../../lib/errors';
import {
  diffPatch,
  draftFromConfig,
  emptyDraft,
  isDraftDirty,
  validateDraft,
  type AgentDraft,
  type DraftErrors,
  type DraftField,
} from './agentForm';
import { useAgentsStore } from '../agents/store';
import type { LoadStatus } from '../../state/pagedList';
import { confirmAction, toast } from '../../state/ui';
import { runAction } from '../../state/runAction';

export type EditorTab = 'config' | 'history' | 'controls';

export interface EditorState {
  isOpen: boolean;
  mode: 'create' | 'edit';
  agent: Agent | null;
  tab: EditorTab;
  initial: AgentDraft;
  draft: AgentDraft;
  errors: DraftErrors;
  touched: ReadonlySet<DraftField>;
  submitted: boolean;
  saving: boolean;
  saveError: string | null;
  versions: AgentVersion[];
  versionsStatus: LoadStatus;
  versionsError: string | null;
  selectedVersion: number | null;
  openCreate: () => void;
  openEdit: (agent: Agent, options?: { tab?: EditorTab; version?: number }) => void;
  setTab: (tab: EditorTab) => void;
  /** Opens the history of any agent (listed or not, even in the trash) at a given version. */
  openAgentHistory: (agentId: string, version: number) => Promise<void>;
  setField: <K extends DraftField>(field: K, value: AgentDraft[K]) => void;
  touch: (field: DraftField) => void;
  save: () => Promise<boolean>;
  requestClose: () => Promise<boolean>;
  close: () => void;
  loadVersions: () => Promise<void>;
  selectVersion: (version: number | null) => void;
  /** Saves an old version's config as a new version (history is never rewritten). */
  restoreVersion: (version: number) => Promise<void>;
}

type EditorData = Pick<
  EditorState,
  | 'isOpen' | 'mode' | 'agent' | 'tab' | 'selectedVersion' | 'initial' | 'draft' | 'errors' | 'touched'
  | 'submitted' | 'saving' | 'saveError' | 'versions' | 'versionsStatus' | 'versionsError'
>;

/** The state of a freshly opened editor: nothing touched, nothing saving, no versions loaded. */
function freshSession(
  draft: EditorState['draft'],
  opening: Pick<EditorState, 'mode' | 'agent' | 'tab' | 'selectedVersion'>,
): EditorData {
  return {
    ...opening,
    isOpen: true,
    initial: draft,
    draft,
    errors: {},
    touched: new Set(),
    submitted: false,
    saving: false,
    saveError: null,
    versions: [],
    versionsStatus: 'idle',
    versionsError: null,
  };
}

// eslint-disable-next-line max-lines-per-function -- a zustand store is one object of state and its actions (the shape zustand needs); each action is a short method
export const useAgentEditorStore = create<EditorState>()((set, get) => ({
  // Closed, holding what a fresh "New agent" editor would.
  ...freshSession(emptyDraft(), { mode: 'create', agent: null, tab: 'config', selectedVersion: null }),
  isOpen: false,

  openCreate: () => {
    set(freshSession(emptyDraft(), { mode: 'create', agent: null, tab: 'config', selectedVersion: null }));
  },

  openEdit: (agent, options = {}) => {
    set(freshSession(draftFromConfig(agent), { mode: 'edit', agent, tab: options.tab ?? 'config', selectedVersion: options.version ?? null }));
    if (options.tab === 'history') void get().loadVersions();
  },

  openAgentHistory: async (agentId, version) => {
    const listed = useAgentsStore.getState().items.find((a) => a.id === agentId);
    await runAction(`Could not open the agent's history`, async () => {
      const agent = listed ?? (await api().agents.get({ id: agentId }));
      get().openEdit(agent, { tab: 'history', version });
    });
  },

  setTab: (tab) => {
    set({ tab });
    if (tab === 'history' && get().versionsStatus === 'idle') void get().loadVersions();
  },

  setField: (field, value) => {
    const draft = { ...get().draft, [field]: value };
    const result = validateDraft(draft);
    set({ draft, errors: result.ok ? {} : result.errors, saveError: null });
  },

  touch: (field) =>
    set((s) => {
      if (s.touched.has(field)) return {};
      const touched = new Set(s.touched);
      touched.add(field);
      const result = validateDraft(s.draft);
      return { touched, errors: result.ok ? {} : result.errors };
    }),

  save: async () => {
    const { draft, mode, agent, saving } = get();
    if (saving) return false;
    const result = validateDraft(draft);
    if (!result.ok) {
      set({ errors: result.errors, submitted: true });
      return false;
    }
    set({ saving: true, saveError: null, submitted: true });
    try {
      if (mode === 'create') {
        await useAgentsStore.getState().create(result.config);
      } else if (agent) {
        const patch = diffPatch(configOf(agent), result.config);
        if (Object.keys(patch).length > 0) {
          const saved = await useAgentsStore.getState().update(agent.id, patch, agent.version);
          toast(`Saved “${saved.name}” as version ${saved.version}`, { tone: 'success' });
        }
      }
      set({ saving: false });
      get().close();
      return true;
    } catch (error) {
      const message =
        errorCode(error) === 'CONFLICT'
          ? 'This agent was changed somewhere else since you opened it. Close the editor and open it again to see the latest version.'
          : errorMessage(error);
      set({ saving: false, saveError: message });
      return false;
    }
  },

  requestClose: async () => {
    const { initial, draft, isOpen } = get();
    if (!isOpen) return true;
    if (isDraftDirty(initial, draft)) {
      const discard = await confirmAction({
        title: 'Discard unsaved changes?',
        message: 'Your changes to this agent have not been saved.',
        confirmLabel: 'Discard changes',
        tone: 'danger',
      });
      if (!discard) return false;
    }
    get().close();
    return true;
  },

  close: () => set({ isOpen: false, saving: false }),

  loadVersions: async () => {
    const { agent } = get();
    if (!agent) return;
    set({ versionsStatus: 'loading', versionsError: null });
    try {
      const versions = await api().agents.versions({ id: agent.id });
      if (get().agent?.id !== agent.id) return;
      set((s) => ({ versions, versionsStatus: 'ready', selectedVersion: s.selectedVersion ?? versions[0]?.version ?? null }));
    } catch (error) {
      set({ versionsStatus: 'error', versionsError: errorMessage(error) });
    }
  },

  selectVersion: (selectedVersion) => set({ selectedVersion }),

  restoreVersion: async (version) => {
    const { agent, versions } = get();
    const target = versions.find((v) => v.version === version);
    if (!agent || !target) return;
    const ok = await confirmAction({
      title: `Restore version ${version}?`,
      message: `The configuration of version ${version} is saved as a new version ${agent.version + 1}. Existing sessions keep their pinned versions.`,
      confirmLabel: 'Restore',
    });
    if (!ok) return;
    await runAction(`Could not restore version ${version}`, async () => {
      const patch = diffPatch(configOf(agent), target.config);
      const saved = Object.keys(patch).length > 0 ? await useAgentsStore.getState().update(agent.id, patch, agent.version) : agent;
      const draft = draftFromConfig(saved);
      set({ agent: saved, initial: draft, draft, selectedVersion: saved.version });
      toast(`Version ${version} restored as version ${saved.version}`, { tone: 'success' });
      await get().loadVersions();
    });
  },
}));

export function configOf(agent: Agent): AgentConfig {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...config } = agent;
  return config;
}
