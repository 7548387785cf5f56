// Named selectors of the runtime store: components subscribe to exactly what they draw.
import type { RuntimeState } from './store';

export const selectProviders = (s: RuntimeState) => s.providers;
export const selectProvidersStatus = (s: RuntimeState) => s.providersStatus;
export const selectProvidersError = (s: RuntimeState) => s.providersError;
export const selectSettingsOpen = (s: RuntimeState) => s.settingsOpen;
export const selectMcpServers = (s: RuntimeState) => s.mcpServers;
export const selectBusy = (key: string) => (s: RuntimeState) => s.busy[key] ?? null;
export const selectContext = (sessionId: string) => (s: RuntimeState) => s.context[sessionId] ?? null;
