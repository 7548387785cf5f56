// The window: three panes (agents, sessions, session log) plus the app-wide layers (editor,
// confirmation dialog, command palette, shortcut sheet, starter gallery, toasts).
import { useEffect, type CSSProperties } from 'react';
import { ConfirmDialogHost } from '../components/ConfirmDialogHost';
import { Toasts } from '../components/Toasts';
import { AgentEditorDialog } from '../features/agent-editor/AgentEditorDialog';
import { AgentsSidebar } from '../features/agents/AgentsSidebar';
import { ImportReviewDialog } from '../features/import-review/ImportReviewDialog';
import { ExportDialog } from '../features/interchange/ExportDialog';
import { FindHistoriesDialog } from '../features/interchange/FindHistoriesDialog';
import { SessionsPane } from '../features/sessions/SessionsPane';
import { TagDialog } from '../features/sessions/TagDialog';
import { SessionView } from '../features/session-view/SessionView';
import { StorageLayer } from '../features/storage';
import { StarterGallery } from '../features/starters/StarterGallery';
import { selectCollapsed, selectPaneWidths, useUiStore } from '../state/ui';
import { connectAttention } from './attention';
import { CommandPalette } from './CommandPalette';
import { ConnectionBanner } from './ConnectionBanner';
import { ShortcutSheet } from './ShortcutSheet';
import { useShortcuts } from './useShortcuts';
import { useThemeEffect } from './useThemeEffect';

/** Width of a folded side pane (its rail with the unfold button). */
const RAIL = 36;

export function App() {
  useThemeEffect();
  useShortcuts();
  useEffect(() => connectAttention(), []);
  const widths = useUiStore(selectPaneWidths);
  const collapsed = useUiStore(selectCollapsed);
  const style = {
    '--pane-agents': `${collapsed.agents ? RAIL : widths.agents}px`,
    '--pane-sessions': `${collapsed.sessions ? RAIL : widths.sessions}px`,
  } as CSSProperties;
  return (
    <div className="app" style={style} data-testid="app" data-agents-collapsed={collapsed.agents || undefined} data-sessions-collapsed={collapsed.sessions || undefined}>
      <AgentsSidebar />
      <SessionsPane />
      <SessionView />
      <AgentEditorDialog />
      <ImportReviewDialog />
      <ExportDialog />
      <TagDialog />
      <FindHistoriesDialog />
      <StarterGallery />
      <CommandPalette />
      <ShortcutSheet />
      <ConfirmDialogHost />
      <Toasts />
      <ConnectionBanner />
      <StorageLayer />
    </div>
  );
}
