// Who let a tool call run, recorded on the call (metadata.approvedBy) so the log can say it:
// the user when asked (and for how long their answer holds), a stored "always allow" rule, the
// agent's permission mode, or nothing needed for a read-only tool.
import type { PermissionMode } from '../../../shared/domain';
import type { ApprovalScope } from '../../../shared/ipc/channels/runtime';
import type { ToolEffect } from '../tools';

export type ApprovedBy =
  | { approvedBy: 'user'; approvalScope: ApprovalScope }
  | { approvedBy: 'rule' }
  | { approvedBy: 'mode'; permissionMode: PermissionMode }
  | { approvedBy: 'read_only_tool' };

/** For a call that runs: `asked` holds the user's answer scope when the call was asked about. */
export function approvalSource(mode: PermissionMode, effect: ToolEffect, alwaysAllowed: boolean, asked: ApprovalScope | null): ApprovedBy {
  if (asked !== null) return { approvedBy: 'user', approvalScope: asked };
  if (effect === 'read') return { approvedBy: 'read_only_tool' };
  if (alwaysAllowed && mode !== 'bypassPermissions') return { approvedBy: 'rule' };
  return { approvedBy: 'mode', permissionMode: mode };
}
