// The window: three panes (agents, sessions, session log) plus the app-wide layers (editor,
// confirmation dialog, toasts).
import { ConfirmDialogHost } from '../components/ConfirmDialogHost';
import { Toasts } from '../components/Toasts';
import { AgentEditorDialog } from '../features/agent-editor/AgentEditorDialog';
import { AgentsSidebar } from '../features/agents/AgentsSidebar';
import { ImportReviewDialog } from '../features/import-review/ImportReviewDialog';
import { ExportDialog } from '../features/interchange/ExportDialog';
import { FindHistoriesDialog } from '../features/interchange/FindHistoriesDialog';
import { SessionsPane } from '../features/sessions/SessionsPane';
import { SessionView } from '../features/session-view/SessionView';
import { StorageLayer } from '../features/storage';
import type { CSSProperties } from 'react';
import { selectPaneWidths, useUiStore } from '../state/ui';
import { ConnectionBanner } from './ConnectionBanner';
import { useThemeEffect } from './useThemeEffect';

export function App() {
  useThemeEffect();
  const widths = useUiStore(selectPaneWidths);
  const style = { '--pane-agents': `${widths.agents}px`, '--pane-sessions': `${widths.sessions}px` } as CSSProperties;
  return (
    <div className="app" style={style} data-testid="app">
      <AgentsSidebar />
      <SessionsPane />
      <SessionView />
      <AgentEditorDialog />
      <ImportReviewDialog />
      <ExportDialog />
      <FindHistoriesDialog />
      <ConfirmDialogHost />
      <Toasts />
      <ConnectionBanner />
      <StorageLayer />
    </div>
  );
}
