// Extension points for features that plug into existing views without editing them: the agent
// runtime adds a composer under the session log and approval controls on tool-call nodes.
// Register from main.tsx (or the feature's entry) before the first render.
import type { ComponentType } from 'react';
import type { LogNode, SessionWithConfig } from '../../shared/domain';

export interface Slots {
  /** Rendered under the session log tree (e.g. a message composer with start/stop). */
  sessionFooter: ComponentType<{ session: SessionWithConfig }> | null;
  /** Rendered inside a log node's card (e.g. Approve / Deny for pending_approval tool calls). */
  nodeActions: ComponentType<{ node: LogNode }> | null;
  /** Rendered in the session header's action area (e.g. Start / Stop). */
  sessionActions: ComponentType<{ session: SessionWithConfig }> | null;
  /** Rendered in the sidebar footer (e.g. a Settings button opening provider settings). */
  sidebarFooter: ComponentType | null;
}

export const slots: Slots = {
  sessionFooter: null,
  nodeActions: null,
  sessionActions: null,
  sidebarFooter: null,
};

export function registerSlot<K extends keyof Slots>(name: K, component: Slots[K]): void {
  slots[name] = component;
}
