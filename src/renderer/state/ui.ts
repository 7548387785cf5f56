// UI-wide state: theme preference, toasts and the single confirmation dialog. Components ask
// for a confirmation with `confirmAction(...)` and await the answer; the dialog host renders it.
import { create } from 'zustand';

export type ThemePreference = 'system' | 'light' | 'dark';
export type ResolvedTheme = 'light' | 'dark';

const THEME_KEY = 'paddock.theme';

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'success' | 'error';
  action?: { label: string; run: () => void };
  /** ms before it goes away on its own; errors stay longer. */
  timeoutMs: number;
}

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  tone: 'danger' | 'default';
  /** A third choice beside Cancel and the confirm button (e.g. "Import under its own agent"). */
  alternativeLabel?: string;
  resolve: (answer: ConfirmAnswer) => void;
}

export type ConfirmAnswer = boolean | 'alternative';
export type PaneName = 'agents' | 'sessions';

export type Connection = 'connecting' | 'open' | 'closed';

export interface PaneWidths {
  agents: number;
  sessions: number;
}

export const PANE_LIMITS = { agents: { min: 200, max: 420 }, sessions: { min: 300, max: 560 } } as const;
const DEFAULT_WIDTHS: PaneWidths = { agents: 264, sessions: 344 };
const WIDTHS_KEY = 'paddock.paneWidths';
// Declared before the store is created: its initial state reads it.
const COLLAPSED_KEY = 'paddock.paneCollapsed';

interface UiState {
  paneWidths: PaneWidths;
  setPaneWidth: (pane: keyof PaneWidths, width: number) => void;
  /** Side panes folded to a narrow rail (remembered like the widths). */
  collapsed: Record<PaneName, boolean>;
  togglePane: (pane: PaneName) => void;
  /** Open overlays of the app shell: the command palette and the shortcut sheet. */
  overlay: 'palette' | 'shortcuts' | null;
  setOverlay: (overlay: 'palette' | 'shortcuts' | null) => void;
  connection: Connection;
  /** True once the connection was open: only then is a drop worth a banner. */
  everConnected: boolean;
  setConnection: (connection: Connection) => void;
  /** Some call is waiting for the database, which another program holds (see ipc/busy-retry.ts). */
  databaseBusy: boolean;
  setDatabaseBusy: (busy: boolean) => void;
  /** Why session logs cannot be saved right now (main's app.storageProblem event), or null. */
  storageProblem: string | null;
  setStorageProblem: (problem: string | null) => void;
  themePreference: ThemePreference;
  systemTheme: ResolvedTheme;
  toasts: Toast[];
  confirm: ConfirmRequest | null;
  setThemePreference: (preference: ThemePreference) => void;
  setSystemTheme: (theme: ResolvedTheme) => void;
  pushToast: (toast: Omit<Toast, 'id' | 'timeoutMs' | 'tone'> & Partial<Pick<Toast, 'tone' | 'timeoutMs'>>) => number;
  dismissToast: (id: number) => void;
  confirmAction: (request: Omit<ConfirmRequest, 'resolve' | 'tone' | 'confirmLabel'> & Partial<Pick<ConfirmRequest, 'tone' | 'confirmLabel'>>) => Promise<boolean>;
  settleConfirm: (answer: ConfirmAnswer) => void;
}

let nextToastId = 1;

export const useUiStore = create<UiState>()((set, get) => ({
  paneWidths: readStoredWidths(),
  setPaneWidth: (pane, width) => {
    const paneWidths = { ...get().paneWidths, [pane]: width };
    set({ paneWidths });
    try {
      localStorage.setItem(WIDTHS_KEY, JSON.stringify(paneWidths));
    } catch {
      // Not remembered across restarts; still applies now.
    }
  },
  collapsed: readStoredCollapsed(),
  togglePane: (pane) => {
    const collapsed = { ...get().collapsed, [pane]: !get().collapsed[pane] };
    set({ collapsed });
    try {
      localStorage.setItem(COLLAPSED_KEY, JSON.stringify(collapsed));
    } catch {
      // Not remembered across restarts; still applies now.
    }
  },
  overlay: null,
  setOverlay: (overlay) => set({ overlay }),
  connection: 'connecting',
  everConnected: false,
  setConnection: (connection) => set((s) => ({ connection, everConnected: s.everConnected || connection === 'open' })),
  databaseBusy: false,
  setDatabaseBusy: (databaseBusy) => set({ databaseBusy }),
  storageProblem: null,
  setStorageProblem: (storageProblem) => set({ storageProblem }),
  themePreference: readStoredPreference(),
  systemTheme: 'light',
  toasts: [],
  confirm: null,
  setThemePreference: (preference) => {
    try {
      localStorage.setItem(THEME_KEY, preference);
    } catch {
      // Storage can be disabled (private mode, quota): the choice still applies for this run.
    }
    set({ themePreference: preference });
  },
  setSystemTheme: (systemTheme) => set({ systemTheme }),
  pushToast: (toast) => {
    const id = nextToastId++;
    const tone = toast.tone ?? 'info';
    const timeoutMs = toast.timeoutMs ?? (tone === 'error' ? 10_000 : toast.action ? 8_000 : 5_000);
    // The same message twice in a row replaces the older toast instead of stacking a copy.
    set((s) => ({ toasts: [...s.toasts.filter((t) => t.message !== toast.message).slice(-2), { ...toast, id, tone, timeoutMs }] }));
    return id;
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  confirmAction: (request) =>
    new Promise<boolean>((resolve) => {
      // A second request while one is open cancels the first rather than stacking dialogs.
      get().confirm?.resolve(false);
      set({ confirm: { tone: 'default', confirmLabel: 'Confirm', ...request, resolve: (answer) => resolve(answer === true) } });
    }),
  settleConfirm: (answer) => {
    const current = get().confirm;
    set({ confirm: null });
    current?.resolve(answer);
  },
}));

function readStoredCollapsed(): Record<PaneName, boolean> {
  try {
    const raw = JSON.parse(localStorage.getItem(COLLAPSED_KEY) ?? 'null') as Partial<Record<PaneName, unknown>> | null;
    return { agents: raw?.agents === true, sessions: raw?.sessions === true };
  } catch {
    return { agents: false, sessions: false };
  }
}

function readStoredWidths(): PaneWidths {
  try {
    const raw = JSON.parse(localStorage.getItem(WIDTHS_KEY) ?? 'null') as Partial<PaneWidths> | null;
    const pick = (value: unknown, limits: { min: number; max: number }, fallback: number) =>
      typeof value === 'number' && Number.isFinite(value) ? Math.min(limits.max, Math.max(limits.min, value)) : fallback;
    return {
      agents: pick(raw?.agents, PANE_LIMITS.agents, DEFAULT_WIDTHS.agents),
      sessions: pick(raw?.sessions, PANE_LIMITS.sessions, DEFAULT_WIDTHS.sessions),
    };
  } catch {
    return DEFAULT_WIDTHS;
  }
}

function readStoredPreference(): ThemePreference {
  try {
    const value = localStorage.getItem(THEME_KEY);
    if (value === 'light' || value === 'dark' || value === 'system') return value;
  } catch {
    // Fall through to the default.
  }
  return 'system';
}

export function resolveTheme(preference: ThemePreference, system: ResolvedTheme): ResolvedTheme {
  return preference === 'system' ? system : preference;
}

export const selectResolvedTheme = (s: UiState): ResolvedTheme => resolveTheme(s.themePreference, s.systemTheme);
export const selectThemePreference = (s: UiState): ThemePreference => s.themePreference;
export const selectConnectionLost = (s: UiState): boolean => s.everConnected && s.connection !== 'open';
export const selectDatabaseBusy = (s: UiState): boolean => s.databaseBusy;
export const selectStorageProblem = (s: UiState): string | null => s.storageProblem;
export const selectPaneWidths = (s: UiState): PaneWidths => s.paneWidths;
export const selectToasts = (s: UiState): Toast[] => s.toasts;
export const selectConfirm = (s: UiState): ConfirmRequest | null => s.confirm;
export const selectCollapsed = (s: UiState): Record<PaneName, boolean> => s.collapsed;
export const selectOverlay = (s: UiState): UiState['overlay'] => s.overlay;

/** Shorthands for use outside React (store actions). */
export function toast(message: string, options: Partial<Omit<Toast, 'id' | 'message'>> = {}): number {
  return useUiStore.getState().pushToast({ message, ...options });
}

export function confirmAction(request: Parameters<UiState['confirmAction']>[0]): Promise<boolean> {
  return useUiStore.getState().confirmAction(request);
}

/** A confirmation with a third button: resolves 'confirm', 'alternative' or 'cancel'. */
export function chooseAction(
  request: Omit<ConfirmRequest, 'resolve' | 'tone' | 'alternativeLabel'> & { alternativeLabel: string; tone?: ConfirmRequest['tone'] },
): Promise<'confirm' | 'alternative' | 'cancel'> {
  return new Promise((resolve) => {
    const store = useUiStore;
    store.getState().confirm?.resolve(false);
    store.setState({
      confirm: { tone: 'default', ...request, resolve: (answer) => resolve(answer === true ? 'confirm' : answer === 'alternative' ? 'alternative' : 'cancel') },
    });
  });
}
