import { describe, expect, it } from 'vitest';
import type { Provider } from '../../../shared/ipc/channels/providers';
import { describeModel, modelChoices, modelFacts } from './modelRef';
import { valueOfText } from './ModelPicker';

const ID = '01900000-0000-7000-8000-0000000000aa';
const local: Provider = {
  id: ID,
  name: 'Local',
  kind: 'openai-compatible',
  baseURL: 'http://127.0.0.1:11434/v1',
  defaultModel: 'llama3:8b',
  models: [{ id: 'test-model', contextWindow: 200_000, price: { input: 3, output: 15, cachedInput: null, reasoning: null } }],
  hasKey: false,
  createdAt: '',
  updatedAt: '',
};

describe('model references for people', () => {
  it('reads "Provider · model" by id, follows a rename, and states what is known', () => {
    expect(describeModel(`${ID}:test-model`, [local])).toMatchObject({ text: 'Local · test-model', problem: null });
    expect(describeModel(`${ID}:test-model`, [{ ...local, name: 'Renamed' }]).text).toBe('Renamed · test-model');
    expect(modelFacts(describeModel(`${ID}:test-model`, [local]).info)).toBe('200K context · $3 / $15 per M tokens');
    // Older configs name the provider; model ids may contain colons.
    expect(describeModel('Local:llama3:8b', [local]).text).toBe('Local · llama3:8b');
  });

  it('says what is wrong with a free-text reference', () => {
    expect(describeModel('ghost-provider-id:m', [local]).problem).toMatch(/no longer exists/);
    expect(describeModel('gpt-4', []).problem).toMatch(/No provider/);
    expect(describeModel('gpt-4', [local]).problem).toBeNull();
    expect(describeModel('gpt-4', [local, { ...local, id: 'x', name: 'Other' }]).problem).toMatch(/pick the model/);
    expect(describeModel(null, [local])).toMatchObject({ text: 'Default model', problem: null });
  });

  it('maps typed text to a stable reference when it names a listed model or a provider', () => {
    const choices = modelChoices([local]);
    expect(choices.map((c) => c.ref)).toEqual([`${ID}:llama3:8b`, `${ID}:test-model`]);
    expect(valueOfText('Local · test-model', choices, [local])).toBe(`${ID}:test-model`);
    expect(valueOfText('local · new-model', choices, [local])).toBe(`${ID}:new-model`);
    expect(valueOfText('Local:test-model', choices, [local])).toBe('Local:test-model');
    expect(valueOfText('  ', choices, [local])).toBe('');
  });
});
