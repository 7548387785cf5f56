// The review of an imported agent: exactly what its file asked for and Paddock held back, one
// checkbox per item (none ticked: consent is opt-in). "Confirm" arms the ticked items and drops
// the rest (the file's approval rules are kept, off, when not ticked); "Keep disarmed" leaves
// the agent as it is, still marked "Needs review".
import { useEffect, useState } from 'react';
import type { PendingReview } from '../../../shared/domain';
import type { McpServerConfig } from '../../../shared/ipc/channels/runtime';
import type { ToolRule } from '../../../shared/ipc/channels/rules';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { api } from '../../lib/api';
import { useAgentsStore } from '../agents/store';
import { selectAgents } from '../agents/selectors';
import { toast } from '../../state/ui';
import { runAction } from '../../state/runAction';
import { useRuntimeStore } from '../runtime/store';
import { selectMcpServers } from '../runtime/selectors';
import { useImportReviewStore } from './store';
import { selectReviewAgentId } from './selectors';

interface Accepted {
  permissionMode: boolean;
  schedule: boolean;
  accessiblePaths: string[];
  mcpServers: string[];
  builtinTools: string[];
  rules: string[];
}

const NONE: Accepted = { permissionMode: false, schedule: false, accessiblePaths: [], mcpServers: [], builtinTools: [], rules: [] };

const EFFECT: Record<ToolRule['decision'], string> = { allow: 'Allow', ask: 'Ask', deny: 'Deny' };

const TOOL_NOTES: Record<string, string> = {
  run_shell: 'runs shell commands on this computer',
  write_file: 'creates and overwrites files',
  edit_file: 'changes files',
};

function toggle(list: string[], item: string, on: boolean): string[] {
  return on ? [...list, item] : list.filter((i) => i !== item);
}

/** What the server named `name` would start: the full command line, or its URL. */
function describeServer(server: McpServerConfig | undefined): string {
  if (!server) return 'Not configured on this computer (nothing would start).';
  const spec = server.spec;
  if (spec.transport === 'http') return `HTTP: ${spec.url}`;
  const env = Object.keys(spec.env);
  return [`${spec.command} ${spec.args.join(' ')}`.trim(), env.length ? `env: ${env.join(', ')}` : '', spec.cwd ? `cwd: ${spec.cwd}` : '', server.approved ? '' : '(not approved to start yet)']
    .filter(Boolean)
    .join(' · ');
}

function Check({ id, checked, onChange, children }: { id: string; checked: boolean; onChange: (on: boolean) => void; children: React.ReactNode }) {
  return (
    <div className="review-item">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{children}</label>
    </div>
  );
}

/** One imported rule as the user consents to it: effect, tool, which calls, and for whom. */
function RuleItem({ rule, i, accepted, set }: { rule: ToolRule; i: number; accepted: Accepted; set: (a: Accepted) => void }) {
  return (
    <Check id={`rv-rule-${i}`} checked={accepted.rules.includes(rule.id)} onChange={(on) => set({ ...accepted, rules: toggle(accepted.rules, rule.id, on) })}>
      <span data-testid="review-rule">
        <strong>{EFFECT[rule.decision]}</strong> <code>{rule.toolName}</code>{' '}
        {rule.pattern ? (
          <>
            for <code>{rule.pattern}</code>
          </>
        ) : (
          'for every call'
        )}{' '}
        · this agent
        {rule.decision === 'allow' ? <span className="review-warning"> — runs without asking</span> : null}
      </span>
    </Check>
  );
}

function ReviewItems({ review, accepted, set, servers, rules }: { review: PendingReview; accepted: Accepted; set: (a: Accepted) => void; servers: McpServerConfig[]; rules: ToolRule[] }) {
  return (
    <div className="review-groups" data-testid="import-review-items">
      {review.permissionMode ? (
        <fieldset className="review-group">
          <legend>Permission mode</legend>
          <Check id="rv-mode" checked={accepted.permissionMode} onChange={(on) => set({ ...accepted, permissionMode: on })}>
            Use <code>{review.permissionMode}</code> (now: <code>ask</code>)
            {review.permissionMode === 'bypassPermissions' ? <span className="review-warning"> — every tool call runs without asking</span> : null}
          </Check>
        </fieldset>
      ) : null}
      {review.accessiblePaths.length ? (
        <fieldset className="review-group">
          <legend>Accessible paths</legend>
          {review.accessiblePaths.map((p, i) => (
            <Check key={p} id={`rv-path-${i}`} checked={accepted.accessiblePaths.includes(p)} onChange={(on) => set({ ...accepted, accessiblePaths: toggle(accepted.accessiblePaths, p, on) })}>
              <code>{p}</code>
              <span className="review-warning">
                {' '}
                <Icon name="alert" size={12} /> outside your home folder
              </span>
            </Check>
          ))}
        </fieldset>
      ) : null}
      {review.schedule ? (
        <fieldset className="review-group">
          <legend>Schedule</legend>
          <Check id="rv-schedule" checked={accepted.schedule} onChange={(on) => set({ ...accepted, schedule: on })}>
            Run on its own on the cron schedule <code>{review.schedule}</code>
          </Check>
        </fieldset>
      ) : null}
      {review.mcpServers.length ? (
        <fieldset className="review-group">
          <legend>MCP servers</legend>
          {review.mcpServers.map((name, i) => (
            <Check key={name} id={`rv-mcp-${i}`} checked={accepted.mcpServers.includes(name)} onChange={(on) => set({ ...accepted, mcpServers: toggle(accepted.mcpServers, name, on) })}>
              <code>{name}</code>: <span className="mono">{describeServer(servers.find((s) => s.name === name))}</span>
            </Check>
          ))}
        </fieldset>
      ) : null}
      {review.builtinTools.length ? (
        <fieldset className="review-group">
          <legend>Tools</legend>
          {review.builtinTools.map((t, i) => (
            <Check key={t} id={`rv-tool-${i}`} checked={accepted.builtinTools.includes(t)} onChange={(on) => set({ ...accepted, builtinTools: toggle(accepted.builtinTools, t, on) })}>
              <code>{t}</code>
              {TOOL_NOTES[t] ? ` — ${TOOL_NOTES[t]}` : ''}
            </Check>
          ))}
        </fieldset>
      ) : null}
      {rules.length ? (
        <fieldset className="review-group" data-testid="review-rules">
          <legend>Approval rules</legend>
          {rules.map((rule, i) => (
            <RuleItem key={rule.id} rule={rule} i={i} accepted={accepted} set={set} />
          ))}
          <p className="muted">Unticked rules stay in the agent’s rule list, turned off.</p>
        </fieldset>
      ) : null}
    </div>
  );
}

/** The agent's imported rules the review names that are still off (edits made meanwhile show). */
function useHeldRules(agentId: string | null, ids: string[] | undefined): ToolRule[] {
  const [rules, setRules] = useState<ToolRule[]>([]);
  const key = (ids ?? []).join(',');
  useEffect(() => {
    setRules([]);
    if (!agentId || !key) return undefined;
    let live = true;
    void runAction('Could not read the imported rules', () => api().rules.list({ agentId })).then((all) => {
      const held = new Set(key.split(','));
      if (live && all) setRules(all.filter((r) => held.has(r.id) && !r.enabled));
    });
    return () => {
      live = false;
    };
  }, [agentId, key]);
  return rules;
}

export function ImportReviewDialog() {
  const agentId = useImportReviewStore(selectReviewAgentId);
  const agent = useAgentsStore(selectAgents).find((a) => a.id === agentId) ?? null;
  const servers = useRuntimeStore(selectMcpServers);
  const [accepted, setAccepted] = useState<Accepted>(NONE);
  const [busy, setBusy] = useState(false);
  const close = useImportReviewStore.getState().close;
  useEffect(() => {
    setAccepted(NONE);
    if (agentId) void useRuntimeStore.getState().loadMcp();
  }, [agentId]);
  const review = agent?.pendingReview ?? null;
  const rules = useHeldRules(agentId, review?.rules);
  const confirm = async () => {
    if (!agent) return;
    setBusy(true);
    await runAction('Could not confirm the import', async () => {
      const armed = await api().agents.confirmImport({ id: agent.id, accept: accepted, expectedVersion: agent.version });
      useAgentsStore.getState().adoptImported(armed);
      toast(`Confirmed “${armed.name}”`, { tone: 'success' });
      close();
    });
    setBusy(false);
  };
  return (
    <Dialog
      open={agent !== null && review !== null}
      title={agent ? `Review “${agent.name}”` : 'Review import'}
      description="This agent came from a file. Paddock stored it disarmed: nothing below is active until you tick it and confirm. Unticked items are dropped."
      onRequestClose={close}
      testId="import-review"
      footer={
        <>
          <Button onClick={close} data-testid="import-review-keep">
            Keep disarmed
          </Button>
          <Button variant="primary" busy={busy} onClick={() => void confirm()} data-testid="import-review-confirm">
            Confirm
          </Button>
        </>
      }
    >
      {review ? <ReviewItems review={review} accepted={accepted} set={setAccepted} servers={servers} rules={rules} /> : null}
    </Dialog>
  );
}
