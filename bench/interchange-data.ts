// Generated workloads for the interchange benchmark: a log tree shaped like real agent sessions
// (turns of model steps with thinking, two tool calls each and their results), and the same kind
// of session as a Claude Code JSONL file of a chosen size, written streamed.
import fs from 'node:fs';
import { once } from 'node:events';
import type { ImportLogNode } from '../src/main/logs/index.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const STEPS_PER_TURN = 3;
/** user + steps x (step, thought, 2 x (action, observation)) */
export const NODES_PER_TURN = 1 + STEPS_PER_TURN * 6;

function words(n: number, seed: number): string {
  const vocab = ['the', 'file', 'test', 'parser', 'returns', 'value', 'when', 'config', 'agent', 'tool', 'result', 'error', 'fixed', 'read', 'line'];
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ' ' : '') + vocab[(seed * 31 + i * 7) % vocab.length];
  return s;
}

/** `turns` turns of a session log, parents first. */
export function generateTree(turns: number): ImportLogNode[] {
  const out: ImportLogNode[] = [];
  let t = T0;
  const at = () => new Date((t += 37)).toISOString();
  for (let u = 0; u < turns; u++) {
    const uid = `u${u}`;
    out.push({ id: uid, kind: 'user_message', role: 'user', content: words(20, u), startedAt: at() });
    for (let s = 0; s < STEPS_PER_TURN; s++) {
      const sid = `${uid}s${s}`;
      out.push({ id: sid, parentId: uid, kind: 'assistant_message', role: 'assistant', content: words(50, u + s), model: 'gpt-bench', provider: 'openai', tokensIn: 1200, tokensOut: 80, startedAt: at(), endedAt: at(), metadata: { step: s + 1 } });
      out.push({ id: `${sid}t`, parentId: sid, kind: 'thought', role: 'reasoning', content: words(30, s), startedAt: at(), endedAt: at() });
      for (let c = 0; c < 2; c++) {
        const aid = `${sid}a${c}`;
        out.push({ id: aid, parentId: sid, kind: 'action', role: 'assistant', toolName: 'read_file', toolArgs: { path: `src/file${c}.ts` }, startedAt: at(), endedAt: at(), durationMs: 12, metadata: { toolCallId: `call_${aid}` } });
        out.push({ id: `${aid}o`, parentId: aid, causeId: aid, kind: 'observation', role: 'tool', toolName: 'read_file', content: words(80, c + u), startedAt: at(), endedAt: at() });
      }
    }
  }
  return out;
}

/**
 * A Claude Code session file of at least `bytes` bytes; returns the nodes an import makes of it.
 * Written in pieces, so making a 1 GB file needs no 1 GB string.
 */
export async function writeClaudeCodeFile(file: string, bytes: number): Promise<number> {
  const out = fs.createWriteStream(file);
  let written = 0;
  let nodes = 0;
  let t = T0;
  let n = 0;
  const base = { isSidechain: false, userType: 'external', cwd: '/home/bench/project', sessionId: 'bench-session', version: '2.0.61', gitBranch: 'main' };
  const line = (o: Record<string, unknown>) => `${JSON.stringify({ ...base, ...o, uuid: `l${++n}`, parentUuid: n > 1 ? `l${n - 1}` : null, timestamp: new Date((t += 41)).toISOString() })}\n`;
  const usage = { input_tokens: 10, cache_creation_input_tokens: 200, cache_read_input_tokens: 1000, output_tokens: 90 };
  for (let u = 0; written < bytes; u++) {
    let piece = line({ type: 'user', message: { role: 'user', content: words(20, u) } });
    nodes += 1;
    for (let s = 0; s < STEPS_PER_TURN; s++) {
      const m = { model: 'claude-bench', id: `msg_${u}_${s}`, type: 'message', role: 'assistant', stop_reason: 'tool_use', usage };
      piece += line({ type: 'assistant', message: { ...m, content: [{ type: 'thinking', thinking: words(30, s), signature: 'sig' }] } });
      piece += line({ type: 'assistant', message: { ...m, content: [{ type: 'text', text: words(50, u + s) }] } });
      const ids = [`toolu_${u}_${s}_0`, `toolu_${u}_${s}_1`];
      for (const id of ids) piece += line({ type: 'assistant', message: { ...m, content: [{ type: 'tool_use', id, name: 'Read', input: { file_path: `/home/bench/project/${id}.ts` } }] } });
      piece += line({ type: 'user', message: { role: 'user', content: ids.map((id, i) => ({ tool_use_id: id, type: 'tool_result', content: words(80, i + u) })) } });
      nodes += 6;
    }
    written += Buffer.byteLength(piece);
    if (!out.write(piece)) await once(out, 'drain');
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return nodes;
}
