import type { SessionStatus } from '../../../shared/domain';

/** A run is under way or waits for the user: its log is still growing. */
export function isLiveStatus(status: SessionStatus | null): boolean {
  return status === 'running' || status === 'waiting_for_user_input';
}
