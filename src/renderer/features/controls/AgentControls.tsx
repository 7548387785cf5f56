// The agent editor's "Rules, budgets & schedule" tab: settings that are not part of an agent's
// versioned config (they change without making a new version, and apply to running sessions).
import { useEffect } from 'react';
import './controls.css';
import type { Agent } from '../../../shared/domain';
import { BudgetPanel } from './BudgetPanel';
import { RulesPanel } from './RulesPanel';
import { SchedulePanel } from './SchedulePanel';
import { useControlsStore } from './store';

export function AgentControls({ agent, onOpenSession }: { agent: Agent; onOpenSession: (sessionId: string) => void }) {
  useEffect(() => {
    const { loadAgent, loadHistory, watch } = useControlsStore.getState();
    void loadAgent(agent.id);
    return watch((what, id) => {
      // A run starting or ending changes only the history (pushed, never polled).
      if (what === 'history') {
        if (id === agent.id) void loadHistory(agent.id);
      } else if (what !== 'schedules' || id === agent.id) void loadAgent(agent.id);
    });
  }, [agent.id]);
  return (
    <div className="agent-controls" data-testid="agent-controls">
      <RulesPanel agentId={agent.id} tools={[...agent.builtinTools, ...agent.mcpServers.map((m) => `${m}__*`), '*']} />
      <BudgetPanel agentId={agent.id} />
      <SchedulePanel agentId={agent.id} onOpenSession={onOpenSession} />
    </div>
  );
}
