// Run-level notes and actions on a log entry: "Retry" on a failed step, and on a message sent
// while the agent was running, that it will be sent before the agent's next step.
import type { LogNode } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { isPendingSteer } from '../session-view/nodePresentation';
import { useSessionViewStore } from '../session-view/store';
import { canRetry } from './retryStep';
import { selectBusy } from './selectors';
import { useRuntimeStore } from './store';

export function StepActions({ node }: { node: LogNode }) {
  const status = useSessionViewStore((s) => s.session?.status ?? null);
  // Recomputed when the tree's shape changes (a retry adds an entry), not on every delta.
  const retryable = useSessionViewStore((s) => (s.structureVersion >= 0 ? canRetry(s.index, node, status) : false));
  const busy = useRuntimeStore(selectBusy(node.id));
  if (isPendingSteer(node)) {
    return (
      <p className="steer-pending" role="status" data-testid="steer-pending">
        Will be sent before the next step
      </p>
    );
  }
  if (!retryable) return null;
  const label = node.kind === 'action' || node.kind === 'observation' ? 'Retry this tool call' : 'Retry this step';
  return (
    <div className="conversation-actions" role="group" aria-label="Failed step">
      <Button size="sm" icon="restore" busy={busy === 'retry'} disabled={Boolean(busy)} onClick={() => void useRuntimeStore.getState().retry(node.id)} data-testid="retry-step" aria-keyshortcuts="Alt+Shift+R">
        {label}
      </Button>
    </div>
  );
}
