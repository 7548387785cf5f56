// Status badges: colour plus an icon plus text, never colour alone (WCAG 1.4.1).
import type { LogStatus, SessionStatus } from '../../shared/domain';
import { Icon, type IconName } from './Icon';

type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'purple';

interface BadgeInfo {
  label: string;
  tone: Tone;
  icon: IconName;
  live?: boolean;
}

export const SESSION_STATUS_INFO: Record<SessionStatus, BadgeInfo> = {
  idle: { label: 'Idle', tone: 'neutral', icon: 'circle' },
  running: { label: 'Running', tone: 'info', icon: 'dot', live: true },
  waiting_for_user_input: { label: 'Waiting for input', tone: 'warning', icon: 'hand' },
  completed: { label: 'Completed', tone: 'success', icon: 'check' },
  failed: { label: 'Failed', tone: 'danger', icon: 'x' },
  stopped: { label: 'Stopped', tone: 'neutral', icon: 'stop' },
  interrupted: { label: 'Interrupted', tone: 'warning', icon: 'pause' },
  budget_reached: { label: 'Budget reached', tone: 'warning', icon: 'coins' },
};

export const LOG_STATUS_INFO: Record<LogStatus, BadgeInfo> = {
  streaming: { label: 'Streaming', tone: 'info', icon: 'dot', live: true },
  complete: { label: 'Complete', tone: 'success', icon: 'check' },
  error: { label: 'Error', tone: 'danger', icon: 'alert' },
  interrupted: { label: 'Interrupted', tone: 'warning', icon: 'pause' },
  pending_approval: { label: 'Awaiting approval', tone: 'warning', icon: 'hand' },
  approved: { label: 'Approved', tone: 'success', icon: 'check' },
  denied: { label: 'Denied', tone: 'danger', icon: 'ban' },
  running: { label: 'Running', tone: 'info', icon: 'dot', live: true },
};

export function Badge({ info, compact = false, testId }: { info: BadgeInfo; compact?: boolean; testId?: string }) {
  return (
    <span className={`badge badge-${info.tone}${compact ? ' badge-compact' : ''}${info.live ? ' badge-live' : ''}`} data-testid={testId}>
      {info.live ? <span className="live-dot" aria-hidden="true" /> : <Icon name={info.icon} size={12} />}
      <span>{info.label}</span>
    </span>
  );
}

export function SessionStatusBadge({ status, compact }: { status: SessionStatus; compact?: boolean }) {
  return <Badge info={SESSION_STATUS_INFO[status] ?? SESSION_STATUS_INFO.idle} compact={compact} testId="session-status" />;
}

export function LogStatusBadge({ status }: { status: LogStatus }) {
  return <Badge info={LOG_STATUS_INFO[status] ?? LOG_STATUS_INFO.complete} compact testId="node-status" />;
}
