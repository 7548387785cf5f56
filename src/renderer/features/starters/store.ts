// The starter gallery: open/closed, and creating an agent from a starter (disarmed: mode ask,
// no schedule, no folders), which then opens in the editor for the user to complete.
import { create } from 'zustand';
import { api } from '../../lib/api';
import { runAction } from '../../state/runAction';
import { toast } from '../../state/ui';
import { useAgentEditorStore } from '../agent-editor/store';
import { useAgentsStore } from '../agents/store';
import { STARTER_PERMISSION_MODE, type Starter } from './starters';

interface StarterGalleryState {
  open: boolean;
  busy: string | null;
  show: () => void;
  hide: () => void;
  createFrom: (starter: Starter) => Promise<void>;
}

export const useStarterGallery = create<StarterGalleryState>()((set, get) => ({
  open: false,
  busy: null,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
  createFrom: async (starter) => {
    if (get().busy) return;
    set({ busy: starter.id });
    try {
      const agent = await runAction(`Could not create “${starter.name}”`, () =>
        api().agents.create({
          name: starter.name,
          description: starter.description,
          avatar: starter.avatar,
          instructions: starter.instructions,
          builtinTools: starter.builtinTools,
          mcpServers: starter.mcpServers,
          permissionMode: STARTER_PERMISSION_MODE,
          schedule: null,
          accessiblePaths: [],
        }),
      );
      if (!agent) return;
      set({ open: false });
      useAgentsStore.getState().adoptImported(agent);
      toast(`Created “${agent.name}”: ${starter.todo}`, { tone: 'success' });
      useAgentEditorStore.getState().openEdit(agent);
    } finally {
      set({ busy: null });
    }
  },
}));
