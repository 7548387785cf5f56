// A real HTTP server that speaks the model providers' wire protocols from scripted turns, so the
// runtime is tested through the same HTTP + SSE parsing path it uses against OpenAI, Anthropic
// and OpenAI-compatible servers (Ollama, LM Studio, vLLM...). Test-only; never bundled.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptPart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** `argsJson`: the arguments text sent as is (e.g. something JSON.stringify cannot produce). */
  | { type: 'tool_call'; name: string; args: unknown; argsJson?: string; id?: string };

export interface ScriptUsage {
  input: number;
  output: number;
  reasoning?: number;
  cached?: number;
}

export interface ScriptTurn {
  parts?: ScriptPart[];
  /** null: the OpenAI-style stream reports no usage at all (as some local servers do). */
  usage?: ScriptUsage | null;
  /** Defaults to tool_calls when a tool_call part exists, else stop. */
  finish?: 'stop' | 'tool_calls' | 'length';
  /** Reply with this HTTP error instead of a stream. */
  error?: { status: number; message: string; type?: string };
  /** Send an in-stream error event after the parts (the HTTP status stays 200). */
  streamError?: string;
  /** Milliseconds between SSE events (default 0). */
  delayMs?: number;
  /** Characters per delta when splitting text/reasoning/arguments (default 4). */
  chunkSize?: number;
  /** After the parts, wait for this before finishing the stream (the test decides when a step ends). */
  holdUntil?: Promise<unknown>;
  /** After the parts, keep the stream open until the client goes away (for stop tests). */
  hang?: boolean;
  /** Extra headers on the response (e.g. retry-after-ms on a 429). */
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** True when the client closed the connection before the response ended. */
  aborted: boolean;
}

export interface ProviderServerOptions {
  /** When set, requests with another key get a 401 in the protocol's error shape. */
  apiKey?: string;
  /** Models listed by GET /v1/models. */
  models?: string[];
}

export interface ProviderServer {
  /** e.g. http://127.0.0.1:54321/v1 — what a provider config's baseURL points at. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Queue turns; each chat/messages request takes the next one. */
  push(...turns: ScriptTurn[]): void;
  /** Resolves when `n` model requests have arrived (counting from server start). */
  waitForRequests(n: number): Promise<void>;
  /** Resolves once every hanging/open stream has noticed its client went away. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function split(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

interface Emitter {
  send(event: string | null, data: unknown): Promise<boolean>;
  raw(text: string): Promise<boolean>;
}

function makeEmitter(res: http.ServerResponse, delayMs: number, isClosed: () => boolean): Emitter {
  const write = async (text: string) => {
    if (isClosed()) return false;
    res.write(text);
    if (delayMs > 0) await sleep(delayMs);
    return !isClosed();
  };
  return {
    send: (event, data) => write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`),
    raw: write,
  };
}

let toolCounter = 0;
const toolId = (prefix: string) => `${prefix}${(++toolCounter).toString().padStart(6, '0')}`;

async function streamOpenAI(turn: ScriptTurn, model: string, em: Emitter): Promise<boolean> {
  const envelope = { id: `chatcmpl-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
  const size = turn.chunkSize ?? 4;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ ...envelope, choices: [{ index: 0, delta, finish_reason: finish }] });
  if (!(await em.send(null, chunk({ role: 'assistant', content: '' })))) return false;
  let toolIndex = 0;
  let hasTool = false;
  for (const part of turn.parts ?? []) {
    if (part.type === 'text') {
      for (const piece of split(part.text, size)) if (!(await em.send(null, chunk({ content: piece })))) return false;
    } else if (part.type === 'reasoning') {
      // DeepSeek / vLLM / Ollama style: what @ai-sdk/openai-compatible reads as reasoning.
      for (const piece of split(part.text, size)) if (!(await em.send(null, chunk({ reasoning_content: piece })))) return false;
    } else {
      hasTool = true;
      const index = toolIndex++;
      const callId = part.id ?? toolId('call_');
      const head = { index, id: callId, type: 'function', function: { name: part.name, arguments: '' } };
      if (!(await em.send(null, chunk({ tool_calls: [head] })))) return false;
      for (const piece of split(part.argsJson ?? JSON.stringify(part.args), size)) {
        if (!(await em.send(null, chunk({ tool_calls: [{ index, function: { arguments: piece } }] })))) return false;
      }
    }
  }
  if (turn.streamError) {
    await em.send(null, { error: { message: turn.streamError, type: 'server_error', code: null } });
    return true;
  }
  if (turn.holdUntil) await turn.holdUntil;
  if (turn.hang) return false;
  const finish = turn.finish ?? (hasTool ? 'tool_calls' : 'stop');
  if (!(await em.send(null, chunk({}, finish)))) return false;
  if (turn.usage === null) {
    await em.raw('data: [DONE]\n\n');
    return true;
  }
  const u = turn.usage ?? { input: 10, output: 5 };
  await em.send(null, {
    ...envelope,
    choices: [],
    usage: {
      prompt_tokens: u.input,
      completion_tokens: u.output,
      total_tokens: u.input + u.output,
      prompt_tokens_details: { cached_tokens: u.cached ?? 0 },
      completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    },
  });
  await em.raw('data: [DONE]\n\n');
  return true;
}

async function streamAnthropic(turn: ScriptTurn, model: string, em: Emitter): Promise<boolean> {
  const size = turn.chunkSize ?? 4;
  const u = turn.usage ?? { input: 10, output: 5 };
  // Anthropic reports input_tokens WITHOUT the cached part; cache reads are separate.
  const ok = await em.send('message_start', {
    type: 'message_start',
    message: {
      id: `msg_${Date.now()}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: u.input - (u.cached ?? 0), cache_creation_input_tokens: 0, cache_read_input_tokens: u.cached ?? 0, output_tokens: 1 },
    },
  });
  if (!ok) return false;
  if (!(await em.send('ping', { type: 'ping' }))) return false;
  let index = 0;
  let hasTool = false;
  for (const part of turn.parts ?? []) {
    const i = index++;
    if (part.type === 'text') {
      if (!(await em.send('content_block_start', { type: 'content_block_start', index: i, content_block: { type: 'text', text: '' } }))) return false;
      for (const piece of split(part.text, size)) {
        if (!(await em.send('content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'text_delta', text: piece } }))) return false;
      }
    } else if (part.type === 'reasoning') {
      if (!(await em.send('content_block_start', { type: 'content_block_start', index: i, content_block: { type: 'thinking', thinking: '' } }))) return false;
      for (const piece of split(part.text, size)) {
        if (!(await em.send('content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'thinking_delta', thinking: piece } }))) return false;
      }
      if (!(await em.send('content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'signature_delta', signature: 'sig-test' } }))) return false;
    } else {
      hasTool = true;
      const start = { type: 'tool_use', id: part.id ?? toolId('toolu_'), name: part.name, input: {} };
      if (!(await em.send('content_block_start', { type: 'content_block_start', index: i, content_block: start }))) return false;
      for (const piece of split(part.argsJson ?? JSON.stringify(part.args), size)) {
        if (!(await em.send('content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'input_json_delta', partial_json: piece } }))) return false;
      }
    }
    if (!(await em.send('content_block_stop', { type: 'content_block_stop', index: i }))) return false;
  }
  if (turn.streamError) {
    await em.send('error', { type: 'error', error: { type: 'overloaded_error', message: turn.streamError } });
    return true;
  }
  if (turn.holdUntil) await turn.holdUntil;
  if (turn.hang) return false;
  const finish = turn.finish ?? (hasTool ? 'tool_calls' : 'stop');
  const stopReason = finish === 'tool_calls' ? 'tool_use' : finish === 'length' ? 'max_tokens' : 'end_turn';
  if (
    !(await em.send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: u.output, ...(u.reasoning ? { output_tokens_details: { thinking_tokens: u.reasoning } } : {}) },
    }))
  )
    return false;
  await em.send('message_stop', { type: 'message_stop' });
  return true;
}

function errorBody(kind: 'openai' | 'anthropic', status: number, message: string, type?: string): unknown {
  if (kind === 'anthropic') {
    const t = type ?? (status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : 'api_error');
    return { type: 'error', error: { type: t, message } };
  }
  const t = type ?? (status === 401 ? 'invalid_request_error' : status === 429 ? 'requests' : 'server_error');
  return { error: { message, type: t, param: null, code: status === 401 ? 'invalid_api_key' : null } };
}

// eslint-disable-next-line max-lines-per-function -- one closure over the fake server's script queue and recorded requests; each wire format is its own module
export async function startProviderServer(opts: ProviderServerOptions = {}): Promise<ProviderServer> {
  const queue: ScriptTurn[] = [];
  const requests: RecordedRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const open = new Set<Promise<void>>();
  let modelRequests = 0;

  const notify = () => {
    for (const w of [...waiters]) {
      if (modelRequests >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body, aborted: false };
    requests.push(record);
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        record.aborted = true;
      }
    });

    const kind: 'openai' | 'anthropic' = url.pathname.endsWith('/messages') || req.headers['anthropic-version'] ? 'anthropic' : 'openai';
    const presented = kind === 'anthropic' ? req.headers['x-api-key'] : req.headers.authorization?.replace(/^Bearer\s+/i, '');
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (opts.apiKey !== undefined && presented !== opts.apiKey) {
      json(401, errorBody(kind, 401, kind === 'anthropic' ? 'invalid x-api-key' : 'Incorrect API key provided.'));
      return;
    }

    if (req.method === 'GET' && url.pathname === '/v1/models') {
      const ids = opts.models ?? ['test-model'];
      if (kind === 'anthropic') {
        json(200, {
          data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' })),
          has_more: false,
          first_id: ids[0] ?? null,
          last_id: ids[ids.length - 1] ?? null,
        });
      } else {
        json(200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'test' })) });
      }
      return;
    }

    const isChat = req.method === 'POST' && (url.pathname === '/v1/chat/completions' || url.pathname === '/v1/messages');
    if (!isChat) {
      json(404, errorBody(kind, 404, `No route ${req.method} ${url.pathname}`, 'not_found_error'));
      return;
    }
    modelRequests++;
    notify();
    const turn = queue.shift();
    if (!turn) {
      json(500, errorBody(kind, 500, 'provider test server: no scripted turn left'));
      return;
    }
    if (turn.error) {
      json(turn.error.status, errorBody(kind, turn.error.status, turn.error.message, turn.error.type), turn.headers);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...turn.headers });
    res.flushHeaders();
    const model = (body as { model?: string } | null)?.model ?? 'test-model';
    const em = makeEmitter(res, turn.delayMs ?? 0, () => closed);
    const finished = kind === 'anthropic' ? await streamAnthropic(turn, model, em) : await streamOpenAI(turn, model, em);
    if (finished) {
      res.end();
      return;
    }
    // Hanging (or the client left): wait until the client goes away.
    if (!closed) await new Promise<void>((r) => res.once('close', () => r()));
  };

  const server = http.createServer((req, res) => {
    const p = handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
    open.add(p);
    void p.finally(() => open.delete(p));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    push: (...turns) => void queue.push(...turns),
    waitForRequests: (n) =>
      new Promise<void>((resolve) => {
        waiters.push({ n, resolve });
        notify();
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.allSettled([...open]);
    },
  };
}
