// The MCP server form's draft <-> the contract's save input. Environment variables and HTTP
// headers are edited as "one per line" text; saving an edited server keeps every part of its
// spec the form shows (an edit must never drop the env a server needs to start).
import type { McpServerConfig, McpServerSpec } from '../../../shared/ipc/channels/runtime';
import type { McpDraftInput } from './store';

export interface McpDraft {
  name: string;
  transport: 'stdio' | 'http';
  command: string;
  /** One argument per line. */
  args: string;
  /** KEY=value, one per line. */
  env: string;
  cwd: string;
  url: string;
  /** Name: value, one per line. */
  headers: string;
  readOnly: string;
  enabled: boolean;
}

export type McpDraftErrors = Partial<Record<'name' | 'command' | 'env' | 'url' | 'headers', string>>;

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function draftFromServer(server: McpServerConfig | null): McpDraft {
  const spec = server?.spec;
  return {
    name: server?.name ?? '',
    transport: spec?.transport ?? 'stdio',
    command: spec?.transport === 'stdio' ? spec.command : '',
    args: spec?.transport === 'stdio' ? spec.args.join('\n') : '',
    env: spec?.transport === 'stdio' ? Object.entries(spec.env).map(([k, v]) => `${k}=${v}`).join('\n') : '',
    cwd: spec?.transport === 'stdio' ? (spec.cwd ?? '') : '',
    url: spec?.transport === 'http' ? spec.url : '',
    headers: spec?.transport === 'http' ? Object.entries(spec.headers).map(([k, v]) => `${k}: ${v}`).join('\n') : '',
    readOnly: (server?.readOnlyTools ?? []).join(', '),
    enabled: server?.enabled ?? true,
  };
}

/** Parses "key<sep>value" lines; blank lines are skipped. Returns the 1-based line of the first bad one. */
function parsePairs(text: string, sep: '=' | ':', keyOk: RegExp): { pairs: Record<string, string> } | { badLine: number } {
  const pairs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const at = line.indexOf(sep);
    const key = at > 0 ? line.slice(0, at).trim() : '';
    if (!keyOk.test(key)) return { badLine: i + 1 };
    pairs[key] = line.slice(at + 1).trim();
  }
  return { pairs };
}

export function draftToInput(draft: McpDraft, id: string | null): { input: McpDraftInput } | { errors: McpDraftErrors } {
  const errors: McpDraftErrors = {};
  if (!draft.name.trim()) errors.name = 'Give the server a name.';
  let spec: McpServerSpec | null = null;
  if (draft.transport === 'stdio') {
    if (!draft.command.trim()) errors.command = 'Enter the command that starts the server.';
    const env = parsePairs(draft.env, '=', ENV_KEY);
    if ('badLine' in env) errors.env = `Line ${env.badLine}: write NAME=value (letters, digits and _; not starting with a digit).`;
    else
      spec = {
        transport: 'stdio',
        command: draft.command.trim(),
        args: draft.args.split('\n').map((a) => a.trim()).filter(Boolean),
        env: env.pairs,
        cwd: draft.cwd.trim() || null,
      };
  } else {
    if (!/^https?:\/\/\S+$/.test(draft.url.trim())) errors.url = 'Enter an http:// or https:// URL.';
    const headers = parsePairs(draft.headers, ':', HEADER_NAME);
    if ('badLine' in headers) errors.headers = `Line ${headers.badLine}: write Name: value.`;
    else spec = { transport: 'http', url: draft.url.trim(), headers: headers.pairs };
  }
  if (Object.keys(errors).length > 0 || !spec) return { errors };
  return {
    input: {
      ...(id ? { id } : {}),
      name: draft.name.trim(),
      spec,
      readOnlyTools: draft.readOnly.split(',').map((t) => t.trim()).filter(Boolean),
      enabled: draft.enabled,
    },
  };
}
