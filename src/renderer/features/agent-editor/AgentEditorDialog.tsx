// The agent editor: every field of AgentConfig with inline validation, the unsaved-changes
// guard (Escape, Cancel and the backdrop all go through requestClose), and the version history.
import { useId, useRef } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { useAgentEditorStore, type EditorTab } from './store';
import { AgentControls } from '../controls/AgentControls';
import { useAgentsStore } from '../agents/store';
import { useSessionsStore } from '../sessions/store';
import { selectEditorOpen, selectIsDirty } from './selectors';
import { EditorForm } from './EditorForm';
import { VersionHistory } from './VersionHistory';

const TABS: [EditorTab, string][] = [
  ['config', 'Configuration'],
  ['controls', 'Rules, budgets & schedule'],
  ['history', 'Version history'],
];

/** Shows a session of this agent (from the run history) and closes the editor. */
async function openSession(agentId: string, sessionId: string): Promise<void> {
  await useAgentEditorStore.getState().requestClose();
  useAgentsStore.getState().select?.(agentId);
  useSessionsStore.getState().select(sessionId);
}

export function AgentEditorDialog() {
  const open = useAgentEditorStore(selectEditorOpen);
  const mode = useAgentEditorStore((s) => s.mode);
  const agent = useAgentEditorStore((s) => s.agent);
  const tab = useAgentEditorStore((s) => s.tab);
  const { requestClose, save } = useAgentEditorStore.getState();
  const nameRef = useRef<HTMLElement | null>(null);
  const tabsId = useId();

  const title = mode === 'create' ? 'New agent' : `Edit ${agent?.name ?? 'agent'}`;
  const description = mode === 'create' ? 'Only the name is required; everything else has a sensible default.' : `Saving creates version ${(agent?.version ?? 0) + 1}. Sessions keep the version they started with.`;

  return (
    <Dialog
      open={open}
      size="lg"
      title={title}
      description={description}
      onRequestClose={() => void requestClose()}
      initialFocusRef={nameRef}
      testId="agent-editor"
      headerExtra={
        <Button variant="ghost" icon="x" label="Close editor" onClick={() => void requestClose()} />
      }
      footer={tab === 'config' ? <ConfigFooter /> : <Button onClick={() => void requestClose()}>Close</Button>}
    >
      {mode === 'edit' ? <EditorTabs tabsId={tabsId} /> : null}
      {tab === 'config' ? (
        <div role={mode === 'edit' ? 'tabpanel' : undefined} id={`${tabsId}-config-panel`} aria-labelledby={mode === 'edit' ? `${tabsId}-config` : undefined}>
          <EditorForm nameRef={nameRef} onSubmit={() => void save()} />
        </div>
      ) : tab === 'controls' && agent ? (
        <div role="tabpanel" id={`${tabsId}-controls-panel`} aria-labelledby={`${tabsId}-controls`}>
          <AgentControls agent={agent} onOpenSession={(id) => void openSession(agent.id, id)} />
        </div>
      ) : (
        <div role="tabpanel" id={`${tabsId}-history-panel`} aria-labelledby={`${tabsId}-history`}>
          <VersionHistory />
        </div>
      )}
    </Dialog>
  );
}

/** Save state (error, fields to fix, unsaved changes), Cancel and Save/Create. */
function ConfigFooter() {
  const mode = useAgentEditorStore((s) => s.mode);
  const dirty = useAgentEditorStore(selectIsDirty);
  const saving = useAgentEditorStore((s) => s.saving);
  const saveError = useAgentEditorStore((s) => s.saveError);
  const errorCount = useAgentEditorStore((s) => (s.submitted ? Object.keys(s.errors).length : 0));
  const { requestClose, save } = useAgentEditorStore.getState();
  return (
    <>
      <span className="dialog-footer-status" aria-live="polite">
        {saveError ? (
          <span className="field-error" role="alert">
            <Icon name="alert" size={12} /> {saveError}
          </span>
        ) : errorCount > 0 ? (
          <span className="field-error">
            <Icon name="alert" size={12} /> Fix {errorCount === 1 ? 'the highlighted field' : `${errorCount} highlighted fields`} to save.
          </span>
        ) : dirty ? (
          <span className="dirty-note">Unsaved changes</span>
        ) : null}
      </span>
      <Button onClick={() => void requestClose()}>Cancel</Button>
      <Button variant="primary" busy={saving} onClick={() => void save()} data-testid="save-agent">
        {mode === 'create' ? 'Create agent' : 'Save'}
      </Button>
    </>
  );
}

/** The tab list of an existing agent's editor; Left/Right move between tabs. */
function EditorTabs({ tabsId }: { tabsId: string }) {
  const tab = useAgentEditorStore((s) => s.tab);
  const { setTab } = useAgentEditorStore.getState();
  return (
    <div className="tabs" role="tablist" aria-label="Agent editor sections">
      {TABS.map(([key, label], i) => (
        <button
          key={key}
          type="button"
          role="tab"
          id={`${tabsId}-${key}`}
          aria-controls={`${tabsId}-${key}-panel`}
          aria-selected={tab === key}
          tabIndex={tab === key ? 0 : -1}
          className="tab"
          data-testid={`editor-tab-${key}`}
          onClick={() => setTab(key)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]![0];
            setTab(next);
            document.getElementById(`${tabsId}-${next}`)?.focus();
          }}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
