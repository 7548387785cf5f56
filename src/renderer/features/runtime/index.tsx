// The runtime's UI entry: plugs the composer, run controls, approval cards and Settings into
// the app's extension slots (app/slots.ts), and keeps the runtime slice in step with main's events.
import { registerSlot } from '../../app/slots';
import { Button } from '../../components/Button';
import { api } from '../../lib/api';
import { useSessionViewStore } from '../session-view/store';
import type { LogNode } from '../../../shared/domain';
import { ApprovalActions } from './ApprovalActions';
import { ConversationActions } from './ConversationActions';
import { StepActions } from './StepActions';
import { Composer, SessionRunActions } from './Composer';
import { useRuntimeStore } from './store';
import { selectProviders } from './selectors';
import { SettingsDialog } from './SettingsDialog';
import './runtime.css';

/** id of a <datalist> of every configured model (`<providerId>:<model>`), for model inputs. */
export const MODEL_OPTIONS_LIST_ID = 'paddock-model-options';

function ModelOptions() {
  const providers = useRuntimeStore(selectProviders);
  return (
    <datalist id={MODEL_OPTIONS_LIST_ID} data-testid="model-options">
      {providers.flatMap((p) => {
        const ids = new Set([...(p.defaultModel ? [p.defaultModel] : []), ...p.models.map((m) => m.id)]);
        return [...ids].map((m) => <option key={`${p.id}:${m}`} value={`${p.id}:${m}`} label={`${p.name} · ${m}`} />);
      })}
    </datalist>
  );
}

function SettingsEntry() {
  return (
    <>
      <Button size="sm" variant="ghost" icon="gear" label="Settings" onClick={() => useRuntimeStore.getState().openSettings()} data-testid="open-settings">
        Settings
      </Button>
      <SettingsDialog />
      <ModelOptions />
    </>
  );
}

/** Inside a log entry: the approval card for tool calls, conversation control for messages. */
function NodeActions({ node }: { node: LogNode }) {
  return (
    <>
      <ApprovalActions node={node} />
      <StepActions node={node} />
      <ConversationActions node={node} />
    </>
  );
}

let registered = false;

/** The open session's row holds usage, error and result text: reload it when its run reports. */
function refreshIfOpen(sessionId: string) {
  const view = useSessionViewStore.getState();
  if (view.sessionId === sessionId) void view.refreshSession();
}

/** Call once before the first render (main.tsx). Returns a cleanup for the event subscriptions. */
export function registerRuntimeUi(): () => void {
  if (!registered) {
    registerSlot('sessionFooter', Composer);
    registerSlot('sessionActions', SessionRunActions);
    registerSlot('nodeActions', NodeActions);
    registerSlot('sidebarFooter', SettingsEntry);
    registered = true;
  }
  const paddock = api();
  void useRuntimeStore.getState().loadProviders();
  const offs = [
    paddock.on('sessions.usage', (e) => {
      useRuntimeStore.getState().applyUsage(e.sessionId, { contextTokens: e.contextTokens, contextWindow: e.contextWindow });
      refreshIfOpen(e.sessionId);
    }),
    paddock.on('providers.changed', () => void useRuntimeStore.getState().loadProviders()),
    // After a reload there is no usage event yet: take the context use of the latest model call
    // from the tree, once, when a session has loaded.
    useSessionViewStore.subscribe((state, previous) => {
      if (state.status !== 'ready' || (previous.status === 'ready' && previous.sessionId === state.sessionId) || !state.sessionId) return;
      if (useRuntimeStore.getState().context[state.sessionId]) return;
      let latest: { contextTokens: number; contextWindow: number | null; at: string } | null = null;
      for (const node of state.index.nodes.values()) {
        const tokens = node.metadata.contextTokens;
        if (node.kind !== 'assistant_message' || typeof tokens !== 'number') continue;
        if (!latest || node.startedAt > latest.at) {
          const win = node.metadata.contextWindow;
          latest = { contextTokens: tokens, contextWindow: typeof win === 'number' ? win : null, at: node.startedAt };
        }
      }
      if (latest) useRuntimeStore.getState().applyUsage(state.sessionId, { contextTokens: latest.contextTokens, contextWindow: latest.contextWindow });
    }),
  ];
  return () => offs.forEach((off) => off());
}
