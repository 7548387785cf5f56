import { describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../../shared/domain';
import { AGENT_CONFIG_DEFAULTS } from '../../../shared/ipc/schemas';
import { changedFields, diffPatch, draftFromConfig, emptyDraft, isDraftDirty, validateDraft } from './agentForm';

const config: AgentConfig = {
  ...AGENT_CONFIG_DEFAULTS,
  name: 'Reviewer',
  model: 'claude-sonnet-4',
  builtinTools: ['read_file'],
  knowledge: [{ title: 'Style guide' }],
  settings: { temperature: 0.2 },
  schedule: '0 9 * * 1-5',
};

describe('agent form', () => {
  it('round-trips a config through a draft unchanged', () => {
    const result = validateDraft(draftFromConfig(config));
    expect(result).toEqual({ ok: true, config });
  });

  it('reports each invalid field with a message', () => {
    const draft = { ...emptyDraft(), name: '  ', knowledgeText: '{"not": "an array"}', settingsText: '{oops', maxStepsText: '0', scheduleEnabled: true, schedule: 'every day' };
    const result = validateDraft(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['knowledgeText', 'maxStepsText', 'name', 'schedule', 'settingsText']);
    expect(result.errors.name).toBe('Give the agent a name.');
    expect(result.errors.settingsText).toMatch(/^Invalid JSON/);
    expect(result.errors.schedule).toMatch(/^Not a valid cron expression/);
  });

  it('turns blanks into nulls and an unchecked schedule into null', () => {
    const draft = { ...draftFromConfig(config), model: '  ', scheduleEnabled: false, knowledgeText: '', settingsText: '' };
    const result = validateDraft(draft);
    expect(result.ok && result.config).toMatchObject({ model: null, schedule: null, knowledge: [], settings: {} });
  });

  it('sends only changed fields and ignores key order in JSON', () => {
    const after: AgentConfig = { ...config, maxSteps: 10, settings: { temperature: 0.2 } };
    expect(changedFields(config, after)).toEqual(['maxSteps']);
    expect(diffPatch(config, after)).toEqual({ maxSteps: 10 });
    expect(changedFields({ ...config, settings: { a: 1, b: 2 } }, { ...config, settings: { b: 2, a: 1 } })).toEqual([]);
  });

  it('knows when the draft is dirty', () => {
    const initial = draftFromConfig(config);
    expect(isDraftDirty(initial, { ...initial })).toBe(false);
    expect(isDraftDirty(initial, { ...initial, name: 'Other' })).toBe(true);
  });
});
