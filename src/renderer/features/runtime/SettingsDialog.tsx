// Settings: model providers (add / edit / remove / test / list models, price table) and MCP
// servers. API keys are typed here and sent once; the app only ever shows whether one is saved.
import { useEffect, useState } from 'react';
import { mayDiscard } from '../../state/unsaved';
import type { McpServerConfig } from '../../../shared/ipc/channels/runtime';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorState } from '../../components/States';
import { KIND_INFO } from './providerForm';
import { useRuntimeStore } from './store';
import { selectMcpServers, selectProviders, selectProvidersError, selectProvidersStatus, selectSettingsOpen } from './selectors';
import { McpForm } from './McpForm';
import { ProviderForm } from './ProviderForm';
import { OpenStorageButton } from '../storage';

export function SettingsDialog() {
  const open = useRuntimeStore(selectSettingsOpen);
  const [tab, setTab] = useState<'providers' | 'mcp'>('providers');
  return (
    <Dialog
      open={open}
      size="lg"
      title="Settings"
      description="Model providers and MCP servers. Keys are stored encrypted or in a file only you can read, never shown again."
      onRequestClose={closeIfSaved}
      testId="settings-dialog"
      footer={
        <>
          <OpenStorageButton />
          <Button variant="secondary" onClick={closeIfSaved}>
            Close
          </Button>
        </>
      }
    >
      <div className="segmented" role="group" aria-label="Settings section">
        <button type="button" className="segmented-item" aria-pressed={tab === 'providers'} onClick={() => setTab('providers')} data-testid="settings-tab-providers">
          Providers
        </button>
        <button type="button" className="segmented-item" aria-pressed={tab === 'mcp'} onClick={() => setTab('mcp')} data-testid="settings-tab-mcp">
          MCP servers
        </button>
      </div>
      {tab === 'providers' ? <ProvidersPanel /> : <McpPanel />}
    </Dialog>
  );
}

function ProvidersPanel() {
  const providers = useRuntimeStore(selectProviders);
  const status = useRuntimeStore(selectProvidersStatus);
  const error = useRuntimeStore(selectProvidersError);
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  useEffect(() => {
    if (selected === null && status === 'ready') setSelected(providers[0]?.id ?? 'new');
  }, [selected, status, providers]);
  const current = selected && selected !== 'new' ? (providers.find((p) => p.id === selected) ?? null) : null;
  if (status === 'error') {
    return <ErrorState title="Could not load providers" message={error} onRetry={() => void useRuntimeStore.getState().loadProviders()} testId="providers-error" />;
  }
  return (
    <div className="settings-split">
      <nav className="settings-list" aria-label="Providers">
        <ul>
          {providers.map((p) => (
            <li key={p.id}>
              <button type="button" className={`settings-item${selected === p.id ? ' is-selected' : ''}`} aria-current={selected === p.id ? 'true' : undefined} onClick={() => setSelected(p.id)} data-testid="provider-item">
                <span className="settings-item-name">{p.name}</span>
                <span className="settings-item-sub">
                  {KIND_INFO[p.kind].label.split(' (')[0]} · {p.hasKey ? 'key saved' : 'no key'}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <Button size="sm" icon="plus" onClick={() => setSelected('new')} data-testid="provider-add">
          Add provider
        </Button>
      </nav>
      {selected ? <ProviderForm key={selected} provider={current} onSaved={(p) => setSelected(p.id)} onRemoved={() => setSelected(null)} /> : null}
    </div>
  );
}

/** Esc, Close and the backdrop ask before a half-filled form is thrown away. */
function closeIfSaved() {
  void mayDiscard('settings:').then((ok) => ok && useRuntimeStore.getState().closeSettings());
}

function McpPanel() {
  const servers = useRuntimeStore(selectMcpServers);
  const [editing, setEditing] = useState<McpServerConfig | 'new' | null>(null);
  return (
    <div className="settings-split">
      <nav className="settings-list" aria-label="MCP servers">
        <ul>
          {servers.map((s) => (
            <li key={s.id}>
              <button type="button" className={`settings-item${editing !== 'new' && editing?.id === s.id ? ' is-selected' : ''}`} onClick={() => setEditing(s)} data-testid="mcp-item">
                <span className="settings-item-name">{s.name}</span>
                <span className="settings-item-sub">
                  {s.spec.transport === 'stdio' ? 'stdio' : 'HTTP'}
                  {s.enabled ? '' : ' · disabled'}
                  {s.approved ? '' : ' · needs approval'}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <Button size="sm" icon="plus" onClick={() => setEditing('new')} data-testid="mcp-add">
          Add MCP server
        </Button>
      </nav>
      {editing ? <McpForm key={editing === 'new' ? 'new' : editing.id} server={editing === 'new' ? null : editing} onDone={(s) => setEditing(s)} /> : <p className="field-hint">Agents choose servers by name in the agent editor.</p>}
    </div>
  );
}
