// Starting a stdio MCP server runs a command on this computer, so it needs the user's explicit
// approval of exactly what will run: the command, each argument, the environment variable names
// (not their values, which may be secrets) and the working directory. Editing any of them
// withdraws the approval on the server side.
import type { McpServerConfig } from '../../../shared/ipc/channels/runtime';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { useRuntimeStore } from './store';

export function McpApproval({ server, onApproved }: { server: McpServerConfig; onApproved: (s: McpServerConfig) => void }) {
  const spec = server.spec;
  if (spec.transport !== 'stdio') return null;
  if (server.approved) {
    return (
      <p className="field-hint" data-testid="mcp-approved">
        <Icon name="check" size={14} /> Approved to start this command.
      </p>
    );
  }
  const env = Object.keys(spec.env);
  const approve = async () => {
    const saved = await useRuntimeStore.getState().approveMcp(server.id, spec);
    if (saved) onApproved(saved);
  };
  return (
    <section className="consent-box" aria-labelledby={`mcp-approval-${server.id}`} data-testid="mcp-approval">
      <h3 id={`mcp-approval-${server.id}`} className="consent-title">
        <Icon name="alert" size={14} /> Not approved: Paddock will not start this server
      </h3>
      <p className="field-hint">Approving lets Paddock run this exact command on this computer whenever an agent or “List tools” needs the server.</p>
      <dl className="consent-spec">
        <dt>Command</dt>
        <dd className="mono" data-testid="mcp-approval-command">{spec.command}</dd>
        <dt>Arguments</dt>
        <dd className="mono" data-testid="mcp-approval-args">{spec.args.length ? spec.args.map((a, i) => <div key={i}>{a}</div>) : '(none)'}</dd>
        <dt>Environment variables</dt>
        <dd className="mono">{env.length ? env.join(', ') : '(none)'}</dd>
        <dt>Working directory</dt>
        <dd className="mono">{spec.cwd ?? '(Paddock’s own)'}</dd>
      </dl>
      <Button variant="primary" onClick={() => void approve()} data-testid="mcp-approve">
        Approve starting this command
      </Button>
    </section>
  );
}
