// Which imported agent's review dialog is open. Opened after an import that held something
// back, and again from the agent list's "Needs review" marker.
import { create } from 'zustand';

export interface ImportReviewState {
  agentId: string | null;
  open: (agentId: string) => void;
  close: () => void;
}

export const useImportReviewStore = create<ImportReviewState>()((set) => ({
  agentId: null,
  open: (agentId) => set({ agentId }),
  close: () => set({ agentId: null }),
}));
