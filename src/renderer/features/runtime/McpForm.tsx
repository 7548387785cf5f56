// Add or edit one MCP server: how it starts (a local command with its arguments, environment and
// working folder, or a URL with its headers), which of its tools count as read-only, and the
// approval a stdio server needs before it may start.
import { useState } from 'react';
import type { McpServerConfig } from '../../../shared/ipc/channels/runtime';
import { Button } from '../../components/Button';
import { useReportUnsaved } from '../../state/unsaved';
import { McpApproval } from './McpApproval';
import { draftFromServer, draftToInput, type McpDraft, type McpDraftErrors } from './mcpForm';
import { Field, SettingsForm } from './SettingsFields';
import { useRuntimeStore } from './store';

export function McpForm({ server, onDone }: { server: McpServerConfig | null; onDone: (s: McpServerConfig | null) => void }) {
  const [draft, setDraft] = useState<McpDraft>(() => draftFromServer(server));
  const [initial] = useState(() => JSON.stringify(draft));
  const [errors, setErrors] = useState<McpDraftErrors>({});
  const [tools, setTools] = useState<string | null>(null);
  useReportUnsaved(`settings:mcp:${server?.id ?? 'new'}`, JSON.stringify(draft) !== initial);
  const { saveMcp, removeMcp } = useRuntimeStore.getState();
  const set = <K extends keyof McpDraft>(key: K, value: McpDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const save = async () => {
    const out = draftToInput(draft, server?.id ?? null);
    if ('errors' in out) {
      setErrors(out.errors);
      return;
    }
    setErrors({});
    const saved = await saveMcp(out.input);
    if (saved) onDone(saved);
  };
  const listTools = async () => {
    if (server) setTools(await useRuntimeStore.getState().listMcpTools(server.id));
  };
  return (
    <SettingsForm onSubmit={save} testId="mcp-form">
      <Field id="mf-name" label="Name (what agents list)" {...(errors.name ? { error: errors.name } : {})}>
        <input id="mf-name" className="input" value={draft.name} onChange={(e) => set('name', e.target.value)} data-testid="mcp-name" />
      </Field>
      <Field id="mf-transport" label="Transport">
        <div className="select-field">
          <select id="mf-transport" value={draft.transport} onChange={(e) => set('transport', e.target.value as McpDraft['transport'])}>
            <option value="stdio">stdio (a local command)</option>
            <option value="http">Streamable HTTP (a URL)</option>
          </select>
        </div>
      </Field>
      <LaunchFields draft={draft} set={set} errors={errors} />
      <Field id="mf-ro" label="Read-only tools (run without asking; comma-separated)">
        <input id="mf-ro" className="input mono" value={draft.readOnly} onChange={(e) => set('readOnly', e.target.value)} />
      </Field>
      <label className="check-inline">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
      </label>
      {server ? <McpApproval server={server} onApproved={onDone} /> : null}
      {tools ? <p className="field-hint" data-testid="mcp-tools">Tools: {tools}</p> : null}
      <div className="row-buttons">
        <Button type="submit" variant="primary" data-testid="mcp-save">
          Save server
        </Button>
        {server ? (
          <Button onClick={() => void listTools()} data-testid="mcp-list-tools">
            List tools
          </Button>
        ) : null}
        <span className="toolbar-spacer" />
        {server ? (
          <Button variant="danger-ghost" icon="trash" onClick={() => void removeMcp(server.id).then((ok) => ok && onDone(null))}>
            Remove
          </Button>
        ) : null}
      </div>
    </SettingsForm>
  );
}

/** How the server starts: a local command (arguments, environment, working folder) or a URL (headers). */
function LaunchFields({ draft, set, errors }: { draft: McpDraft; set: <K extends keyof McpDraft>(key: K, value: McpDraft[K]) => void; errors: McpDraftErrors }) {
  return draft.transport === 'stdio' ? (
      <>
        <Field id="mf-command" label="Command" {...(errors.command ? { error: errors.command } : {})}>
          <input id="mf-command" className="input mono" value={draft.command} placeholder="npx" onChange={(e) => set('command', e.target.value)} data-testid="mcp-command" />
        </Field>
        <Field id="mf-args" label="Arguments (one per line)">
          <textarea id="mf-args" className="textarea mono" rows={3} value={draft.args} onChange={(e) => set('args', e.target.value)} data-testid="mcp-args" />
        </Field>
        <Field id="mf-env" label="Environment variables (NAME=value, one per line)" {...(errors.env ? { error: errors.env } : {})}>
          <textarea id="mf-env" className="textarea mono" rows={2} value={draft.env} spellCheck={false} onChange={(e) => set('env', e.target.value)} data-testid="mcp-env" />
        </Field>
        <Field id="mf-cwd" label="Working folder (empty: Paddock's own)">
          <input id="mf-cwd" className="input mono" value={draft.cwd} onChange={(e) => set('cwd', e.target.value)} data-testid="mcp-cwd" />
        </Field>
      </>
    ) : (
      <>
        <Field id="mf-url" label="URL" {...(errors.url ? { error: errors.url } : {})}>
          <input id="mf-url" className="input mono" value={draft.url} placeholder="http://localhost:3001/mcp" onChange={(e) => set('url', e.target.value)} data-testid="mcp-url" />
        </Field>
        <Field id="mf-headers" label="Headers (Name: value, one per line)" {...(errors.headers ? { error: errors.headers } : {})}>
          <textarea id="mf-headers" className="textarea mono" rows={2} value={draft.headers} spellCheck={false} onChange={(e) => set('headers', e.target.value)} data-testid="mcp-headers" />
        </Field>
      </>
  );
}
