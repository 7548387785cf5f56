import { describe, expect, it } from 'vitest';
import { approvalSource } from './approval-source';

describe('who approved a tool call', () => {
  it('names the user and the scope of their answer, a rule, the permission mode, or a read-only tool', () => {
    expect(approvalSource('ask', 'execute', false, 'agent')).toEqual({ approvedBy: 'user', approvalScope: 'agent' });
    expect(approvalSource('ask', 'execute', true, null)).toEqual({ approvedBy: 'rule' });
    expect(approvalSource('acceptEdits', 'edit', false, null)).toEqual({ approvedBy: 'mode', permissionMode: 'acceptEdits' });
    expect(approvalSource('bypassPermissions', 'execute', true, null)).toEqual({ approvedBy: 'mode', permissionMode: 'bypassPermissions' });
    expect(approvalSource('ask', 'read', false, null)).toEqual({ approvedBy: 'read_only_tool' });
  });
});
