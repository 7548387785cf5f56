// The runtime slice: providers and MCP servers (settings), what each session's run is doing
// (pending control calls, context use), and the run controls. Components call these actions;
// only this file talks to main for runtime matters.
import type { RuleScope } from '../../../shared/ipc/channels/rules';
import { create } from 'zustand';
import type { LogNode, SessionStatus, SessionWithConfig } from '../../../shared/domain';
import type { Provider, ProviderTestResult } from '../../../shared/ipc/channels/providers';
import type { ApprovalScope, McpServerConfig } from '../../../shared/ipc/channels/runtime';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { runAction } from '../../state/runAction';
import { toast } from '../../state/ui';
import { useSessionViewStore } from '../session-view/store';

export type ProviderDraftInput = Parameters<ReturnType<typeof api>['providers']['save']>[0];
export type McpDraftInput = Parameters<ReturnType<typeof api>['runtime']['mcpSave']>[0];

export interface ContextUse {
  contextTokens: number;
  contextWindow: number | null;
}

export interface RuntimeState {
  providers: Provider[];
  providersStatus: 'idle' | 'loading' | 'ready' | 'error';
  providersError: string | null;
  mcpServers: McpServerConfig[];
  settingsOpen: boolean;
  /** Control calls in flight, per session ("start", "stop"...) or per node ("approve"). */
  busy: Record<string, string>;
  /** Latest context use per session (from sessions.usage events). */
  context: Record<string, ContextUse>;

  openSettings: () => void;
  closeSettings: () => void;
  loadProviders: () => Promise<void>;
  saveProvider: (input: ProviderDraftInput) => Promise<Provider | null>;
  removeProvider: (id: string) => Promise<boolean>;
  testProvider: (input: Parameters<ReturnType<typeof api>['providers']['test']>[0]) => Promise<ProviderTestResult>;
  loadMcp: () => Promise<void>;
  saveMcp: (input: McpDraftInput) => Promise<McpServerConfig | null>;
  removeMcp: (id: string) => Promise<boolean>;
  /** Records the user's approval to start a stdio server with exactly the spec they were shown. */
  approveMcp: (id: string, spec: McpServerConfig['spec']) => Promise<McpServerConfig | null>;
  /** Connects to the server and names its tools (or says why it could not). */
  listMcpTools: (id: string) => Promise<string>;

  /** Start on a fresh or finished session, send (queued while running) otherwise. */
  submit: (session: SessionWithConfig, message: string) => Promise<boolean>;
  stop: (sessionId: string) => Promise<void>;
  resume: (sessionId: string) => Promise<void>;
  /** `rule`: also save an allow rule (tool + pattern) for the session, the agent or every agent. */
  approve: (nodeId: string, scope: ApprovalScope, rule?: { scope: RuleScope; pattern: string | null }) => Promise<void>;
  deny: (nodeId: string, reason?: string) => Promise<void>;
  /** Runs a failed step again (the failed attempt stays in the log). */
  retry: (nodeId: string) => Promise<void>;
  applyUsage: (sessionId: string, use: ContextUse) => void;
}

// eslint-disable-next-line max-lines-per-function -- a zustand store is one object of state and its actions (the shape zustand needs); each action is a short method
export const useRuntimeStore = create<RuntimeState>()((set, get) => {
  const withBusy = async <T>(key: string, what: string, fn: () => Promise<T>): Promise<T | null> => {
    if (get().busy[key]) return null;
    set((s) => ({ busy: { ...s.busy, [key]: what } }));
    try {
      return await fn();
    } finally {
      set((s) => {
        const { [key]: _done, ...rest } = s.busy;
        return { busy: rest };
      });
    }
  };
  /** A run control: one call at a time per session or node, failures toasted. */
  const control = async (key: string, what: string, failure: string, fn: () => Promise<unknown>) => {
    await withBusy(key, what, () => runAction(failure, fn));
  };

  return {
    providers: [],
    providersStatus: 'idle',
    providersError: null,
    mcpServers: [],
    settingsOpen: false,
    busy: {},
    context: {},

    openSettings: () => {
      set({ settingsOpen: true });
      void get().loadProviders();
      void get().loadMcp();
    },
    closeSettings: () => set({ settingsOpen: false }),

    loadProviders: async () => {
      set({ providersStatus: 'loading', providersError: null });
      try {
        set({ providers: await api().providers.list(), providersStatus: 'ready' });
      } catch (error) {
        set({ providersStatus: 'error', providersError: errorMessage(error) });
      }
    },
    saveProvider: (input) =>
      runAction('Could not save the provider', async () => {
        const saved = await api().providers.save(input);
        set((s) => ({ providers: upsert(s.providers, saved).sort((a, b) => a.name.localeCompare(b.name)) }));
        toast(`Saved provider ${saved.name}`, { tone: 'success' });
        return saved;
      }, { fallback: null }),
    removeProvider: (id) =>
      runAction('Could not remove the provider', async () => {
        await api().providers.remove({ id });
        set((s) => ({ providers: s.providers.filter((p) => p.id !== id) }));
        return true;
      }, { fallback: false }),
    testProvider: async (input) => {
      try {
        return await api().providers.test(input);
      } catch (error) {
        return { ok: false, message: errorMessage(error), models: [] };
      }
    },
    loadMcp: () =>
      runAction('Could not load MCP servers', async () => {
        set({ mcpServers: await api().runtime.mcpList() });
      }),
    saveMcp: (input) =>
      runAction('Could not save the MCP server', async () => {
        const saved = await api().runtime.mcpSave(input);
        set((s) => ({ mcpServers: upsert(s.mcpServers, saved) }));
        return saved;
      }, { fallback: null }),
    approveMcp: (id, spec) =>
      runAction('Could not approve the MCP server', async () => {
        const saved = await api().runtime.mcpApprove({ id, spec });
        set((s) => ({ mcpServers: upsert(s.mcpServers, saved) }));
        return saved;
      }, { fallback: null }),
    removeMcp: (id) =>
      runAction('Could not remove the MCP server', async () => {
        await api().runtime.mcpRemove({ id });
        set((s) => ({ mcpServers: s.mcpServers.filter((m) => m.id !== id) }));
        return true;
      }, { fallback: false }),

    listMcpTools: async (id) => {
      try {
        const tools = await api().runtime.mcpTools({ id });
        return tools.map((t) => t.name).join(', ') || '(no tools)';
      } catch (error) {
        return `Could not connect: ${errorMessage(error)}`;
      }
    },

    submit: async (session, message) => {
      const result = await withBusy(session.id, 'send', () =>
        runAction('Could not send the message', async () => {
          const paddock = api();
          if (isActive(session.status)) await paddock.sessions.send({ sessionId: session.id, message });
          else await paddock.sessions.start({ sessionId: session.id, message });
          return true;
        }, { fallback: false }),
      );
      return result === true;
    },
    stop: (sessionId) => control(sessionId, 'stop', 'Could not stop the session', () => api().sessions.stop({ id: sessionId })),
    resume: (sessionId) => control(sessionId, 'resume', 'Could not resume the session', () => api().sessions.resume({ id: sessionId })),
    approve: async (nodeId, scope, rule) => {
      await control(nodeId, 'approve', 'Could not approve', () => api().sessions.approve({ nodeId, scope, ...(rule ? { rule } : {}) }));
      keepFocusAfterAnswer(nodeId);
    },
    deny: async (nodeId, reason) => {
      await control(nodeId, 'deny', 'Could not deny', () => api().sessions.deny({ nodeId, ...(reason ? { reason } : {}) }));
      keepFocusAfterAnswer(nodeId);
    },
    retry: (nodeId) => control(nodeId, 'retry', 'Could not retry the step', () => api().sessions.retry({ nodeId })),
    applyUsage: (sessionId, use) => set((s) => ({ context: { ...s.context, [sessionId]: use } })),
  };
});

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  return i < 0 ? [...list, item] : list.map((x) => (x.id === item.id ? item : x));
}

/** A run is under way (messages are queued into it rather than starting a new one). */
export function isActive(status: SessionStatus): boolean {
  return status === 'running' || status === 'waiting_for_user_input';
}

/**
 * A tool call waiting for the user. After a restart the start-up sweep marks the prompt
 * 'interrupted' (metadata.interruptedFrom = 'pending_approval'), but approving it still works
 * while the session waits (or was interrupted), so it is still shown — unless a later node
 * continues it.
 */
export function isAwaitingApproval(node: LogNode, sessionStatus: SessionStatus | null, continued: boolean): boolean {
  if (node.kind !== 'action' || continued) return false;
  if (node.status === 'pending_approval') return true;
  // 'interrupted' too: the app may have died between recording the question and the status.
  return node.status === 'interrupted' && node.metadata.interruptedFrom === 'pending_approval' && (sessionStatus === 'waiting_for_user_input' || sessionStatus === 'interrupted');
}

/**
 * The answered card goes away with the button that had focus: focus moves to the next waiting
 * approval, else to the tool call's row in the tree, else to the composer — never to <body>.
 */
function keepFocusAfterAnswer(nodeId: string): void {
  const settle = () => {
    const active = document.activeElement;
    const lostFocus = !active || active === document.body || !document.contains(active) || Boolean(active.closest('[data-testid="approval-card"]'));
    if (!lostFocus) return;
    const next = [...document.querySelectorAll<HTMLElement>('[data-testid="approve-once"]')].find((b) => !b.closest(`[data-node-id="${nodeId}"]`));
    const target =
      next ??
      document.querySelector<HTMLElement>(`[data-testid="log-row"][data-node-id="${nodeId}"]`) ??
      document.querySelector<HTMLElement>('[data-testid="composer-input"]');
    target?.focus();
  };
  // Once now (the card may already be gone) and once the node's status update has re-rendered it away.
  requestAnimationFrame(settle);
  const off = useSessionViewStore.subscribe((state) => {
    const node = state.index.nodes.get(nodeId);
    if (node && node.status === 'pending_approval') return;
    off();
    requestAnimationFrame(settle);
  });
  setTimeout(off, 10_000);
}
