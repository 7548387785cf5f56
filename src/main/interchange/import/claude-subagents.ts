// Sub-agent transcripts of a Claude Code session. Since Claude Code 2.1 a sub-agent (Task /
// Agent tool) conversation is not written into the session file but beside it:
//   <project>/<session uuid>.jsonl                          the session
//   <project>/<session uuid>/subagents/agent-<id>.jsonl     one sub-agent's conversation
//   <project>/<session uuid>/subagents/agent-<id>.meta.json its type and description
// The session file names the sub-agent in the spawning call's result (toolUseResult.agentId, and
// "agentId: <id>" in the result text). agent-acompact-* files are Claude Code's own context
// compaction, not a conversation. Only this folder beside the chosen file is read: choosing the
// session file is the consent to read its companion folder.
import fs from 'node:fs';
import path from 'node:path';
import type { JsonValue } from '../../../shared/domain.js';
import { openLines } from '../lines.js';
import type { SourceLine } from '../types.js';
import { isObj } from '../values.js';

/** Agent ids as Claude Code writes them (hex, or name@team): no separator can slip through. */
const AGENT_ID = /^[A-Za-z0-9_@-][A-Za-z0-9_@.-]{0,199}$/;
const META_MAX_BYTES = 64 * 1024;

export interface SubagentTranscript {
  file: string;
  lines: AsyncIterable<SourceLine>;
  /** The sidecar's fields (agentType, description, …), {} when it has none. */
  meta: Record<string, JsonValue>;
}

export interface SubagentFiles {
  /** The sub-agent's transcript, or null when the folder has none for this id or it was opened before. */
  open(agentId: string): Promise<SubagentTranscript | null>;
  /** Transcripts in the folder that were never opened (compaction files left out). */
  unopened(): Promise<string[]>;
}

export function isAgentId(v: string): boolean {
  return AGENT_ID.test(v) && !v.includes('..');
}

/** The companion folder of a session file: `x.jsonl` -> `x/subagents`. */
export function subagentsDirOf(sessionFile: string): string {
  const base = path.basename(sessionFile).replace(/\.jsonl$/i, '');
  return path.join(path.dirname(sessionFile), base, 'subagents');
}

async function readMeta(file: string): Promise<Record<string, JsonValue>> {
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile() || st.size > META_MAX_BYTES) return {};
    const v: unknown = JSON.parse(await fs.promises.readFile(file, 'utf8'));
    return isObj(v) ? (v as Record<string, JsonValue>) : {};
  } catch {
    return {};
  }
}

export function subagentFilesBeside(sessionFile: string): SubagentFiles {
  const dir = subagentsDirOf(sessionFile);
  const opened = new Set<string>();
  return {
    async open(agentId) {
      if (!isAgentId(agentId)) return null;
      const name = `agent-${agentId}.jsonl`;
      const file = path.join(dir, name);
      const st = await fs.promises.stat(file).catch(() => null);
      if (!st?.isFile() || opened.has(name)) return null;
      opened.add(name);
      const lines = (await openLines({ path: file })).lines;
      return { file: name, lines, meta: await readMeta(path.join(dir, `agent-${agentId}.meta.json`)) };
    },
    async unopened() {
      const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
      return names.filter((n) => n.startsWith('agent-') && n.endsWith('.jsonl') && !n.startsWith('agent-acompact') && !opened.has(n)).sort();
    },
  };
}

/** The id of the sub-agent a tool result reports, from the line's toolUseResult or the result text. */
export function spawnedAgentId(toolUseResult: unknown, resultText: string): string | null {
  if (isObj(toolUseResult) && typeof toolUseResult.agentId === 'string') return toolUseResult.agentId;
  const m = /\bagentId: ([A-Za-z0-9_@.-]+)/.exec(resultText);
  return m ? m[1]! : null;
}
