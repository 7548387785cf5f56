// Run context preparation: the model, its key, the tools and the sandbox for a session's config,
// resolved once per run before the first model call.
import { jsonSchema, tool, type ToolSet } from 'ai';
import { z } from 'zod';
import type { AgentConfig, SessionWithConfig } from '../../../shared/domain';
import { parseModelRef, type Provider } from '../../../shared/ipc/channels/providers';
import { RunConfigError } from '../errors';
import { createLanguageModel } from '../providers';
import { guardToolArguments } from '../tool-args';
import { builtinToolsFor, PathSandbox, type ToolDef } from '../tools';
import { throwIfStopped, type RunEnv } from './env';
import { providerOptionsFor } from './settings';
import type { ActiveRun, RunContext } from './types';

/** Which provider and model id the config names. */
export async function resolveModel(providers: Pick<RunEnv['deps']['providers'], 'list' | 'resolve'>, config: Pick<AgentConfig, 'model'>): Promise<{ provider: Provider; modelId: string }> {
  if (!config.model) {
    // "Empty = the provider's default": unambiguous only when one provider has a default.
    const withDefault = (await providers.list()).filter((p) => p.defaultModel);
    if (withDefault.length !== 1) throw new RunConfigError('This agent has no model. Choose a provider and a model in the agent settings.');
    return { provider: withDefault[0]!, modelId: withDefault[0]!.defaultModel! };
  }
  const ref = parseModelRef(config.model);
  let provider = ref ? await providers.resolve(ref.provider) : null;
  const modelId = ref && provider ? ref.model : config.model;
  if (!provider) {
    // A bare model id works when exactly one provider is configured.
    const all = await providers.list();
    if (all.length === 1) provider = all[0]!;
  }
  if (!provider) throw new RunConfigError(`The model "${config.model}" names a provider that does not exist. Pick a model again in the agent settings.`);
  return { provider, modelId };
}

/** The built-in tools and the tools of the config's MCP servers, by name. */
async function collectTools(env: RunEnv, session: SessionWithConfig, run: ActiveRun): Promise<Map<string, ToolDef>> {
  const config = session.effectiveConfig;
  const tools = new Map<string, ToolDef>();
  for (const t of builtinToolsFor(config.builtinTools)) tools.set(t.name, t);
  if (config.mcpServers.length === 0) return tools;
  const servers = (await env.deps.mcpServers.byNames(config.mcpServers)).filter((s) => s.enabled);
  for (const name of config.mcpServers) {
    const server = servers.find((s) => s.name === name);
    try {
      if (!server) throw new Error(`No MCP server named "${name}" is configured (or it is disabled).`);
      const conn = await env.mcp.get(server);
      for (const t of conn.toolDefs) tools.set(t.name, t);
    } catch (err) {
      // The agent runs without that server's tools; the tree says why.
      env.deps.writer.startNode({
        sessionId: session.id,
        kind: 'system',
        role: 'system',
        status: 'error',
        content: (err as Error).message,
        metadata: { mcpServer: name },
      });
    }
  }
  throwIfStopped(run);
  return tools;
}

function toAiTools(tools: Map<string, ToolDef>): ToolSet {
  const aiTools: ToolSet = {};
  for (const t of tools.values()) {
    // JSON Schema only (no validator): arguments are validated by executeTool, so a bad call
    // reaches the log and the model gets a readable error instead of the SDK dropping it.
    const schema = t.jsonSchema ?? (z.toJSONSchema(t.schema) as Record<string, unknown>);
    aiTools[t.name] = tool({ description: t.description, inputSchema: jsonSchema(schema) });
  }
  return aiTools;
}

/** Resolves the model, the key, the tools and the sandbox for this session's config. */
export async function prepareRun(env: RunEnv, session: SessionWithConfig, run: ActiveRun): Promise<RunContext> {
  const config = session.effectiveConfig;
  const { provider, modelId } = await resolveModel(env.deps.providers, config);
  const apiKey = await env.deps.secrets.get(provider.id);
  const model = guardToolArguments(createLanguageModel({ kind: provider.kind, baseURL: provider.baseURL, apiKey, name: provider.name }, modelId));
  const tools = await collectTools(env, session, run);
  const aiTools = toAiTools(tools);
  const sandbox = await PathSandbox.create(config.accessiblePaths);
  const where = sandbox.rootPaths.length
    ? `\n\nYour working directory is ${sandbox.rootPaths[0]}. File tools can only reach: ${sandbox.rootPaths.join(', ')}.`
    : '';
  return {
    session,
    config,
    model,
    modelId,
    provider,
    modelInfo: provider.models.find((m) => m.id === modelId) ?? null,
    tools,
    aiTools,
    sandbox,
    system: `${config.instructions}${where}`.trim(),
    providerOptions: providerOptionsFor(config, provider.kind),
  };
}
