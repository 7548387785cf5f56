import { describe, expect, it } from 'vitest';
import { attentionMessage } from './attention';
import { COMMANDS, formatKeys } from './commands';

describe('attention', () => {
  it('notifies when an approval is needed or a run ends, not for other changes', () => {
    expect(attentionMessage('running', 'waiting_for_user_input')).toEqual({ title: 'Approval needed', kind: 'approval' });
    expect(attentionMessage('running', 'completed')?.title).toBe('Run finished');
    expect(attentionMessage('waiting_for_user_input', 'failed')?.title).toBe('Run failed');
    expect(attentionMessage('idle', 'running')).toBeNull();
    expect(attentionMessage('waiting_for_user_input', 'running')).toBeNull();
    // A stop is the user's own doing: nothing to tell.
    expect(attentionMessage('running', 'stopped')).toBeNull();
    // A budget stop is not: an unattended run may have hit it with no one watching.
    expect(attentionMessage('running', 'budget_reached')).toEqual({ title: 'Budget reached', kind: 'ended' });
    expect(attentionMessage('waiting_for_user_input', 'budget_reached')?.title).toBe('Budget reached');
  });
});

describe('commands', () => {
  it('have unique ids and unique shortcuts, each readable', () => {
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
    const keys = COMMANDS.filter((c) => c.keys).map((c) => JSON.stringify(c.keys));
    expect(new Set(keys).size).toBe(keys.length);
    const byId = new Map(COMMANDS.map((c) => [c.id, c]));
    expect(formatKeys(byId.get('new-session')!.keys!)).toBe('Alt+N');
    expect(formatKeys(byId.get('palette')!.keys!)).toBe('Ctrl+K');
    for (const id of ['new-agent', 'new-session', 'send', 'stop', 'approve', 'deny', 'search-session', 'next-session', 'prev-session', 'palette', 'shortcuts']) {
      expect(byId.get(id)?.keys, id).toBeDefined();
    }
  });
});
