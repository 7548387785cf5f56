import { afterEach, describe, expect, it } from 'vitest';
import { streamText, jsonSchema, tool, type LanguageModel } from 'ai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { startProviderServer, type ProviderServer } from './providerServer';

let server: ProviderServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Kind = 'openai-compatible' | 'openai' | 'anthropic';
function modelFor(kind: Kind, s: ProviderServer, apiKey = 'sk-test'): LanguageModel {
  if (kind === 'anthropic') return createAnthropic({ baseURL: s.baseURL, apiKey })('claude-test');
  if (kind === 'openai') return createOpenAI({ baseURL: s.baseURL, apiKey }).chat('gpt-test');
  return createOpenAICompatible({ name: 'local', baseURL: s.baseURL, apiKey, includeUsage: true })('llama-test');
}

const echo = tool({ description: 'echo', inputSchema: jsonSchema<{ text: string }>({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }) });

describe.each<Kind>(['openai-compatible', 'openai', 'anthropic'])('provider test server speaks %s', (kind) => {
  it('streams text, tool calls with streamed arguments, and usage', async () => {
    server = await startProviderServer({ apiKey: 'sk-test' });
    server.push({
      parts: [
        ...(kind === 'openai' ? [] : [{ type: 'reasoning' as const, text: 'thinking hard' }]),
        { type: 'text', text: 'Hello there, world' },
        { type: 'tool_call', name: 'echo', args: { text: 'hi "quoted"' } },
      ],
      usage: { input: 100, output: 20, reasoning: 7, cached: 30 },
    });
    const result = streamText({ model: modelFor(kind, server), prompt: 'say hi', tools: { echo }, maxRetries: 0, onError: () => {} });
    const types: string[] = [];
    let text = '';
    let reasoning = '';
    let argText = '';
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === 'text-delta') text += part.text;
      if (part.type === 'reasoning-delta') reasoning += part.text;
      if (part.type === 'tool-input-delta') argText += part.delta;
      if (part.type === 'error') throw part.error;
    }
    expect(text).toBe('Hello there, world');
    if (kind !== 'openai') expect(reasoning).toBe('thinking hard');
    expect(JSON.parse(argText)).toEqual({ text: 'hi "quoted"' });
    expect(types.filter((t) => t === 'text-delta').length).toBeGreaterThan(1);
    expect(types).toContain('tool-input-start');
    const calls = await result.toolCalls;
    expect(calls).toHaveLength(1);
    expect(calls[0]?.toolName).toBe('echo');
    expect(calls[0]?.input).toEqual({ text: 'hi "quoted"' });
    expect(await result.finishReason).toBe('tool-calls');
    const usage = await result.usage;
    expect(usage.inputTokens).toBe(100);
    expect(usage.outputTokens).toBe(20);
    expect(usage.inputTokenDetails.cacheReadTokens).toBe(30);
    expect(usage.outputTokenDetails.reasoningTokens).toBe(7);
    // What the model was sent is recorded.
    const req = server.requests.at(-1)!;
    expect(JSON.stringify(req.body)).toContain('say hi');
    expect(JSON.stringify(req.body)).toContain('echo');
  });

  it('answers a bad key with 401 in the protocol error shape', async () => {
    server = await startProviderServer({ apiKey: 'sk-right' });
    server.push({ parts: [{ type: 'text', text: 'never' }] });
    const result = streamText({ model: modelFor(kind, server, 'sk-wrong'), prompt: 'x', maxRetries: 0, onError: () => {} });
    let error: unknown;
    for await (const part of result.fullStream) if (part.type === 'error') error = part.error;
    expect(error).toBeInstanceOf(Error);
    expect((error as { statusCode?: number }).statusCode).toBe(401);
    expect((error as Error).message).toMatch(/key/i);
  });

  it('answers 429 when scripted', async () => {
    server = await startProviderServer();
    server.push({ error: { status: 429, message: 'Rate limit reached for requests' } });
    const result = streamText({ model: modelFor(kind, server), prompt: 'x', maxRetries: 0, onError: () => {} });
    let error: unknown;
    for await (const part of result.fullStream) if (part.type === 'error') error = part.error;
    expect((error as { statusCode?: number }).statusCode).toBe(429);
    expect((error as Error).message).toContain('Rate limit');
  });

  it('a hanging stream ends when the client aborts, and the abort is recorded', async () => {
    server = await startProviderServer();
    server.push({ parts: [{ type: 'text', text: 'partial answer' }], hang: true });
    const ac = new AbortController();
    const result = streamText({ model: modelFor(kind, server), prompt: 'x', abortSignal: ac.signal, maxRetries: 0, onError: () => {} });
    let text = '';
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        text += part.text;
        if (text === 'partial answer') ac.abort();
      }
    }
    expect(text).toBe('partial answer');
    await server.close();
    expect(server.requests.at(-1)?.aborted).toBe(true);
    server = undefined;
  });
});

describe('GET /v1/models', () => {
  it('lists models in both shapes', async () => {
    server = await startProviderServer({ models: ['a', 'b'] });
    const oa = (await (await fetch(`${server.baseURL}/models`)).json()) as { data: { id: string }[] };
    expect(oa.data.map((m) => m.id)).toEqual(['a', 'b']);
    const an = (await (await fetch(`${server.baseURL}/models`, { headers: { 'anthropic-version': '2023-06-01' } })).json()) as {
      data: { id: string; type: string }[];
    };
    expect(an.data[0]).toMatchObject({ id: 'a', type: 'model' });
  });
});
