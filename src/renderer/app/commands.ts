// Every app-level action in one list: what the command palette offers, what the shortcut sheet
// shows and what the global key handler runs. One entry = one label, one shortcut, one action,
// so the three can never disagree.
import { focusNewestToast } from '../components/Toasts';
import { useAgentEditorStore } from '../features/agent-editor/store';
import { useAgentsStore } from '../features/agents/store';
import { useGlobalSearchStore } from '../features/global-search/store';
import { importPickedFile } from '../features/import/importFile';
import { useRuntimeStore } from '../features/runtime/store';
import { latestRetryable } from '../features/runtime/retryStep';
import { isActive } from '../features/runtime/store';
import { useSessionsStore } from '../features/sessions/store';
import { useStarterGallery } from '../features/starters/store';
import { useTagDialog } from '../features/sessions/TagDialog';
import { useRenameRequest } from '../features/session-view/SessionHeader';
import { selectFirstPendingApproval } from '../features/session-view/PendingApprovalJump';
import { useSessionViewStore } from '../features/session-view/store';
import { useUiStore } from '../state/ui';

export interface KeyCombo {
  /** KeyboardEvent.code (layout-independent: Alt+N works where Alt+N types a character). */
  code?: string;
  /** KeyboardEvent.key, for keys named by what they type ("?", "Enter", "F2"). */
  key?: string;
  mod?: boolean;
  alt?: boolean;
  shift?: boolean;
}

export interface Command {
  id: string;
  label: string;
  group: 'Agents' | 'Sessions' | 'Run' | 'Navigation' | 'App';
  keys?: KeyCombo;
  /** Where the keys also work while typing in a field (modified combos only). */
  whileTyping?: boolean;
  enabled: () => boolean;
  run: () => void;
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** "Ctrl+K" / "⌘K" style text of a combo. */
export function formatKeys(keys: KeyCombo): string {
  const name = keys.key ?? (keys.code ?? '').replace(/^Key|^Digit/, '').replace('Arrow', '').replace('Period', '.').replace('Comma', ',');
  const arrow: Record<string, string> = { Up: '↑', Down: '↓', Left: '←', Right: '→' };
  const parts = [keys.mod ? (isMac ? '⌘' : 'Ctrl') : null, keys.alt ? (isMac ? '⌥' : 'Alt') : null, keys.shift ? (isMac ? '⇧' : 'Shift') : null, arrow[name] ?? name];
  return parts.filter(Boolean).join(isMac ? '' : '+');
}

/** The aria-keyshortcuts value of a combo ("Control+K", "Alt+N"). */
export function ariaKeys(keys: KeyCombo): string {
  const name = keys.key ?? (keys.code ?? '').replace(/^Key|^Digit/, '');
  return [keys.mod ? (isMac ? 'Meta' : 'Control') : null, keys.alt ? 'Alt' : null, keys.shift ? 'Shift' : null, name].filter(Boolean).join('+');
}

export function matches(keys: KeyCombo, event: KeyboardEvent): boolean {
  const mod = isMac ? event.metaKey : event.ctrlKey;
  if (Boolean(keys.mod) !== mod || Boolean(keys.alt) !== event.altKey) return false;
  // "?" is Shift+/ on most layouts: a key named by its character ignores Shift.
  if (keys.key && keys.key.length === 1 && !/[a-z]/i.test(keys.key)) return event.key === keys.key;
  if (Boolean(keys.shift) !== event.shiftKey) return false;
  return keys.code ? event.code === keys.code : event.key === keys.key;
}

const session = () => useSessionViewStore.getState().session;
const agentSelected = () => {
  const { items, selectedId } = useAgentsStore.getState();
  const agent = items.find((a) => a.id === selectedId);
  return Boolean(agent && !agent.deletedAt);
};
const pendingApproval = () => selectFirstPendingApproval(useSessionViewStore.getState());
const retryable = () => latestRetryable(useSessionViewStore.getState().index, session()?.status ?? null);

function stepSession(delta: number): void {
  const { items, selectedId, select } = useSessionsStore.getState();
  if (items.length === 0) return;
  const i = items.findIndex((s) => s.id === selectedId);
  const next = items[i < 0 ? 0 : Math.min(items.length - 1, Math.max(0, i + delta))];
  if (next) select(next.id);
}

function clickWhenShown(selector: string): void {
  let tries = 0;
  const attempt = () => {
    const el = document.querySelector<HTMLElement>(selector);
    if (el) el.click();
    else if (++tries < 30) requestAnimationFrame(attempt);
  };
  attempt();
}

export const COMMANDS: Command[] = [
  { id: 'palette', label: 'Command palette', group: 'App', keys: { code: 'KeyK', mod: true }, whileTyping: true, enabled: () => true, run: () => useUiStore.getState().setOverlay('palette') },
  { id: 'shortcuts', label: 'Keyboard shortcuts', group: 'App', keys: { key: '?' }, enabled: () => true, run: () => useUiStore.getState().setOverlay('shortcuts') },
  { id: 'new-agent', label: 'New agent', group: 'Agents', keys: { code: 'KeyN', alt: true, shift: true }, whileTyping: true, enabled: () => true, run: () => useAgentEditorStore.getState().openCreate() },
  { id: 'starters', label: 'New agent from a starter…', group: 'Agents', enabled: () => true, run: () => useStarterGallery.getState().show() },
  { id: 'import', label: 'Import agent or session…', group: 'Agents', enabled: () => true, run: () => void importPickedFile() },
  {
    id: 'edit-agent',
    label: 'Edit agent',
    group: 'Agents',
    enabled: agentSelected,
    run: () => {
      const { items, selectedId } = useAgentsStore.getState();
      const agent = items.find((a) => a.id === selectedId);
      if (agent) useAgentEditorStore.getState().openEdit(agent);
    },
  },
  { id: 'new-session', label: 'New session', group: 'Sessions', keys: { code: 'KeyN', alt: true }, whileTyping: true, enabled: agentSelected, run: () => void useSessionsStore.getState().create() },
  { id: 'next-session', label: 'Next session', group: 'Sessions', keys: { code: 'ArrowDown', alt: true }, whileTyping: true, enabled: () => useSessionsStore.getState().items.length > 0, run: () => stepSession(1) },
  { id: 'prev-session', label: 'Previous session', group: 'Sessions', keys: { code: 'ArrowUp', alt: true }, whileTyping: true, enabled: () => useSessionsStore.getState().items.length > 0, run: () => stepSession(-1) },
  { id: 'rename-session', label: 'Rename session', group: 'Sessions', keys: { key: 'F2' }, enabled: () => Boolean(session()), run: () => useRenameRequest.getState().request() },
  { id: 'search-session', label: 'Search in this session', group: 'Sessions', keys: { code: 'KeyF', mod: true }, whileTyping: true, enabled: () => Boolean(session()), run: () => document.querySelector<HTMLInputElement>('[data-testid="log-search"]')?.focus() },
  { id: 'search-all', label: 'Search all sessions', group: 'Sessions', keys: { code: 'KeyF', mod: true, shift: true }, whileTyping: true, enabled: () => true, run: () => useGlobalSearchStore.getState().openDialog() },
  {
    id: 'pin-session',
    label: 'Pin or unpin session',
    group: 'Sessions',
    keys: { code: 'KeyP', alt: true, shift: true },
    whileTyping: true,
    enabled: () => Boolean(session()),
    run: () => void useSessionsStore.getState().pin(session()!.id, !session()!.pinnedAt),
  },
  { id: 'tag-session', label: 'Edit session tags…', group: 'Sessions', keys: { code: 'KeyT', alt: true, shift: true }, whileTyping: true, enabled: () => Boolean(session()), run: () => useTagDialog.getState().open(session()!.id) },
  {
    id: 'filter-tags',
    label: 'Filter sessions by tag',
    group: 'Sessions',
    enabled: () => agentSelected(),
    run: () => document.querySelector<HTMLElement>('[data-testid="tag-filter-input"]')?.focus(),
  },
  { id: 'export-session', label: 'Export session', group: 'Sessions', enabled: () => Boolean(session()), run: () => void useSessionsStore.getState().exportSession(session()!.id) },
  { id: 'delete-session', label: 'Delete session (undoable)', group: 'Sessions', enabled: () => Boolean(session()), run: () => void useSessionsStore.getState().remove(session()!.id) },
  {
    id: 'focus-composer',
    label: 'Write a message',
    group: 'Run',
    keys: { code: 'KeyM', alt: true },
    whileTyping: true,
    enabled: () => Boolean(session()),
    run: () => document.querySelector<HTMLElement>('[data-testid="composer-input"]')?.focus(),
  },
  {
    id: 'send',
    label: 'Send message (or steer the running agent)',
    group: 'Run',
    keys: { key: 'Enter', mod: true },
    whileTyping: true,
    enabled: () => Boolean(document.querySelector('[data-testid="composer-send"]:not([disabled])')),
    run: () => document.querySelector<HTMLElement>('[data-testid="composer-send"]')?.click(),
  },
  {
    id: 'stop',
    label: 'Stop the run',
    group: 'Run',
    keys: { code: 'Period', alt: true },
    whileTyping: true,
    enabled: () => Boolean(session() && isActive(session()!.status)),
    run: () => void useRuntimeStore.getState().stop(session()!.id),
  },
  {
    id: 'approve',
    label: 'Approve the waiting tool call',
    group: 'Run',
    keys: { code: 'KeyA', alt: true, shift: true },
    whileTyping: true,
    enabled: () => Boolean(pendingApproval()),
    run: () => void useRuntimeStore.getState().approve(pendingApproval()!, 'once'),
  },
  {
    id: 'deny',
    label: 'Deny the waiting tool call…',
    group: 'Run',
    keys: { code: 'KeyD', alt: true, shift: true },
    whileTyping: true,
    enabled: () => Boolean(pendingApproval()),
    run: () => {
      const id = pendingApproval()!;
      useSessionViewStore.getState().revealNode(id);
      clickWhenShown(`[data-node-id="${id}"] [data-testid="deny"]`);
    },
  },
  {
    id: 'retry-step',
    label: 'Retry the failed step',
    group: 'Run',
    keys: { code: 'KeyR', alt: true, shift: true },
    whileTyping: true,
    enabled: () => Boolean(retryable()),
    run: () => {
      const id = retryable()!;
      useSessionViewStore.getState().revealNode(id);
      void useRuntimeStore.getState().retry(id);
    },
  },
  {
    id: 'jump-approval',
    label: 'Go to the waiting tool call',
    group: 'Run',
    keys: { code: 'KeyJ', alt: true },
    whileTyping: true,
    enabled: () => Boolean(pendingApproval()),
    run: () => {
      const id = pendingApproval()!;
      useSessionViewStore.getState().revealNode(id, true);
    },
  },
  { id: 'toggle-agents', label: 'Show or hide the agents pane', group: 'Navigation', keys: { code: 'Digit1', alt: true }, whileTyping: true, enabled: () => true, run: () => useUiStore.getState().togglePane('agents') },
  { id: 'toggle-sessions', label: 'Show or hide the sessions pane', group: 'Navigation', keys: { code: 'Digit2', alt: true }, whileTyping: true, enabled: () => true, run: () => useUiStore.getState().togglePane('sessions') },
  { id: 'notifications', label: 'Go to the newest notification', group: 'Navigation', keys: { key: 'F8' }, whileTyping: true, enabled: () => useUiStore.getState().toasts.length > 0, run: () => void focusNewestToast() },
  { id: 'settings', label: 'Settings: providers and MCP servers', group: 'App', keys: { code: 'Comma', mod: true }, whileTyping: true, enabled: () => true, run: () => useRuntimeStore.getState().openSettings() },
  {
    id: 'theme',
    label: 'Switch between light and dark theme',
    group: 'App',
    enabled: () => true,
    run: () => {
      const ui = useUiStore.getState();
      const dark = document.documentElement.dataset.theme === 'dark';
      ui.setThemePreference(dark ? 'light' : 'dark');
    },
  },
];
