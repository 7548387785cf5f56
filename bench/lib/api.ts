// Contract calls the benchmarks need, through the real browser-host API.

import type { Agent, SessionWithConfig } from '../../src/shared/domain.js';
import type { ContractClient } from './wsClient.js';

export async function createSession(api: ContractClient, name: string): Promise<SessionWithConfig> {
  const agent = await api.call<Agent>('agents.create', { name: `Bench agent for ${name}` });
  return api.call<SessionWithConfig>('sessions.create', { agentId: agent.id, name });
}
