// Settings: model providers (add / edit / remove / test / list models, price table) and MCP
// servers. API keys are typed here and sent once; the app only ever shows whether one is saved.
import { useEffect, useState } from 'react';
import { mayDiscard, useReportUnsaved } from '../../state/unsaved';
import { PROVIDER_KINDS, type Provider, type ProviderKind, type ProviderTestResult } from '../../../shared/ipc/channels/providers';
import type { McpServerConfig } from '../../../shared/ipc/channels/runtime';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { ErrorState } from '../../components/States';
import { useUiStore } from '../../state/ui';
import { draftFromProvider, draftToInput, emptyModelRow, KIND_INFO, type DraftErrors, type ModelRow, type ProviderDraft } from './providerForm';
import { useRuntimeStore, type ProviderDraftInput } from './store';
import { selectMcpServers, selectProviders, selectProvidersError, selectProvidersStatus, selectSettingsOpen } from './selectors';
import { McpForm } from './McpForm';
import { OpenStorageButton } from '../storage';
import { Field, SettingsForm } from './SettingsFields';

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

function ProviderForm({ provider, onSaved, onRemoved }: { provider: Provider | null; onSaved: (p: Provider) => void; onRemoved: () => void }) {
  const [draft, setDraft] = useState<ProviderDraft>(() => draftFromProvider(provider));
  useReportUnsaved(`settings:provider:${provider?.id ?? 'new'}`, JSON.stringify(draft) !== JSON.stringify(draftFromProvider(provider)));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState<ProviderTestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const set = <K extends keyof ProviderDraft>(k: K, v: ProviderDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setRow = (i: number, patch: Partial<ModelRow>) => setDraft((d) => ({ ...d, models: d.models.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));

  const runTest = async () => {
    setTesting(true);
    const r = await useRuntimeStore.getState().testProvider({
      draft: { ...(draft.id ? { id: draft.id } : {}), kind: draft.kind, baseURL: draft.baseURL.trim() || null, ...(draft.apiKey.trim() ? { apiKey: draft.apiKey.trim() } : {}) },
    });
    setTest(r);
    setTesting(false);
    return r;
  };
  const fetchModels = async () => {
    const r = test?.ok ? test : await runTest();
    if (!r.ok) return;
    setDraft((d) => {
      const known = new Set(d.models.map((m) => m.id));
      return { ...d, models: [...d.models, ...r.models.filter((m) => !known.has(m)).map((m) => emptyModelRow(m))] };
    });
  };
  const save = async () => {
    const { input, errors: errs } = draftToInput(draft);
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setSaving(true);
    const saved = await useRuntimeStore.getState().saveProvider(input as ProviderDraftInput);
    setSaving(false);
    if (saved) onSaved(saved);
  };
  const remove = async () => {
    if (!provider) return;
    const ok = await useUiStore.getState().confirmAction({
      title: `Remove ${provider.name}?`,
      message: 'Its saved key is deleted too. Agents that use its models will fail to run until you pick another model.',
      confirmLabel: 'Remove',
      tone: 'danger',
    });
    if (ok && (await useRuntimeStore.getState().removeProvider(provider.id))) onRemoved();
  };

  const info = KIND_INFO[draft.kind];
  return (
    <SettingsForm label={provider ? `Edit ${provider.name}` : 'New provider'} onSubmit={save} testId="provider-form">
      <Field id="pf-name" label="Name" error={errors.name}>
        <input id="pf-name" className="input" value={draft.name} onChange={(e) => set('name', e.target.value)} aria-invalid={Boolean(errors.name)} data-testid="provider-name" />
      </Field>
      <Field id="pf-kind" label="Kind">
        <div className="select-field">
          <select id="pf-kind" value={draft.kind} onChange={(e) => set('kind', e.target.value as ProviderKind)} data-testid="provider-kind">
            {PROVIDER_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_INFO[k].label}
              </option>
            ))}
          </select>
        </div>
      </Field>
      <Field id="pf-url" label="Base URL" error={errors.baseURL}>
        <input id="pf-url" className="input mono" value={draft.baseURL} placeholder={info.placeholder} onChange={(e) => set('baseURL', e.target.value)} aria-invalid={Boolean(errors.baseURL)} aria-describedby="pf-url-hint" data-testid="provider-url" />
        <p id="pf-url-hint" className="field-hint">
          {info.hint}
        </p>
      </Field>
      <Field id="pf-key" label="API key">
        <input
          id="pf-key"
          className="input mono"
          type="password"
          autoComplete="off"
          value={draft.apiKey}
          placeholder={draft.hasKey && !draft.clearKey ? 'Saved (leave empty to keep it)' : 'Not set'}
          onChange={(e) => set('apiKey', e.target.value)}
          data-testid="provider-key"
        />
        {draft.hasKey ? (
          <label className="check-inline">
            <input type="checkbox" checked={draft.clearKey} onChange={(e) => set('clearKey', e.target.checked)} /> Remove the saved key
          </label>
        ) : null}
      </Field>
      <Field id="pf-default" label="Default model">
        <input id="pf-default" className="input mono" list="pf-model-ids" value={draft.defaultModel} onChange={(e) => set('defaultModel', e.target.value)} data-testid="provider-default-model" />
        <datalist id="pf-model-ids">
          {draft.models.map((m) => (
            <option key={m.id} value={m.id} />
          ))}
        </datalist>
      </Field>

      <fieldset className="fieldset">
        <legend className="field-label">Models and prices (US$ per million tokens)</legend>
        <table className="price-table" data-testid="price-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Context window</th>
              <th scope="col">Input</th>
              <th scope="col">Output</th>
              <th scope="col">Cached input</th>
              <th scope="col">Reasoning</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.models.map((row, i) => (
              <tr key={i}>
                <td>
                  <input className="input mono" aria-label="Model id" value={row.id} onChange={(e) => setRow(i, { id: e.target.value })} data-testid="model-id" />
                </td>
                {(['contextWindow', 'input', 'output', 'cached', 'reasoning'] as const).map((k) => (
                  <td key={k}>
                    <input
                      className="input"
                      inputMode="decimal"
                      aria-label={`${row.id || 'model'} ${k === 'contextWindow' ? 'context window' : `${k} price`}`}
                      placeholder={k === 'cached' ? '= input' : k === 'reasoning' ? '= output' : ''}
                      value={row[k]}
                      onChange={(e) => setRow(i, { [k]: e.target.value })}
                      data-testid={`model-${k}`}
                    />
                  </td>
                ))}
                <td>
                  <Button size="sm" variant="ghost" icon="x" label={`Remove ${row.id || 'row'}`} onClick={() => setDraft((d) => ({ ...d, models: d.models.filter((_, j) => j !== i) }))} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {errors.models ? <p className="field-error">{errors.models}</p> : null}
        <div className="row-buttons">
          <Button size="sm" icon="plus" onClick={() => setDraft((d) => ({ ...d, models: [...d.models, emptyModelRow()] }))} data-testid="model-add">
            Add model
          </Button>
          <Button size="sm" icon="download" busy={testing} onClick={() => void fetchModels()} data-testid="models-fetch">
            Fetch models from provider
          </Button>
        </div>
      </fieldset>

      {test ? (
        <p className={`notice ${test.ok ? 'notice-success' : 'notice-danger'}`} role="status" data-testid="provider-test-result">
          <Icon name={test.ok ? 'check' : 'alert'} size={14} /> {test.message}
        </p>
      ) : null}
      <div className="row-buttons">
        <Button type="submit" variant="primary" busy={saving} data-testid="provider-save">
          Save provider
        </Button>
        <Button busy={testing} onClick={() => void runTest()} data-testid="provider-test">
          Test connection
        </Button>
        <span className="toolbar-spacer" />
        {provider ? (
          <Button variant="danger-ghost" icon="trash" onClick={() => void remove()} data-testid="provider-remove">
            Remove
          </Button>
        ) : null}
      </div>
    </SettingsForm>
  );
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
