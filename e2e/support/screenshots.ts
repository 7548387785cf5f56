// What the opt-in screenshot specs (views-screenshots, ux-screenshots) share: the three window
// sizes the docs show, the seeded provider and agents every picture starts from, and the scripted
// turn that leaves a session waiting for an approval.
import type { Agent } from '../../src/shared/domain';
import type { ProviderServer, ScriptTurn } from '../../src/main/runtime/testing/providerServer';
import type { PaddockApp } from '../fixtures';

export const SCREENSHOT_SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const;

/** A "Local Ollama" provider on the test server and two agents; returns "Code reviewer" (asks before writing). */
export async function seedShowcaseAgents(app: PaddockApp, server: ProviderServer): Promise<Agent> {
  const provider = await app.call<{ id: string }>('providers.save', {
    name: 'Local Ollama',
    kind: 'openai-compatible',
    baseURL: server.baseURL,
    apiKey: 'sk-shots',
    models: [
      { id: 'gpt-4.1-mini', contextWindow: 1000000, price: { input: 0.4, output: 1.6 } },
      { id: 'llama3.1:8b', contextWindow: 128000 },
    ],
  });
  const agent = await app.call<Agent>('agents.create', {
    name: 'Code reviewer',
    description: 'Reviews pull requests; flags risky changes first.',
    model: `${provider.id}:gpt-4.1-mini`,
    builtinTools: ['read_file', 'write_file'],
    accessiblePaths: [app.dataDir],
    permissionMode: 'ask',
  });
  await app.call<Agent>('agents.create', { name: 'Release notes writer', description: 'Turns merged PRs into release notes.', model: `${provider.id}:llama3.1:8b` });
  return agent;
}

/** A model turn that thinks, answers, and asks to write review.md (an approval card, with "ask"). */
export const REVIEW_TURN: ScriptTurn = {
  parts: [
    { type: 'reasoning', text: 'The user wants a summary file. I should read the diff first, then write the notes.' },
    { type: 'text', text: 'I read the change set. Three files touch the session store; one of them drops an error silently. I will write my findings to review.md.' },
    { type: 'tool_call', name: 'write_file', args: { path: 'review.md', content: '# Review\n\n- store.ts: an error is swallowed in refresh()\n' } },
  ],
};
