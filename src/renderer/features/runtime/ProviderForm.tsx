// The provider form: name, kind, base URL, API key (sent once, never shown again), default model,
// and the models with their prices; "Test connection" and "Fetch models" ask the provider itself.
import { useState, type Dispatch, type SetStateAction } from 'react';
import { PROVIDER_KINDS, type Provider, type ProviderKind, type ProviderTestResult } from '../../../shared/ipc/channels/providers';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { useUiStore } from '../../state/ui';
import { useReportUnsaved } from '../../state/unsaved';
import { draftFromProvider, draftToInput, emptyModelRow, KIND_INFO, type DraftErrors, type ModelRow, type ProviderDraft } from './providerForm';
import { Field, SettingsForm } from './SettingsFields';
import { useRuntimeStore, type ProviderDraftInput } from './store';

interface ProviderFormProps {
  provider: Provider | null;
  onSaved: (p: Provider) => void;
  onRemoved: () => void;
}

/** The form's draft, errors and test state, and what its buttons do. */
function useProviderForm({ provider, onSaved, onRemoved }: ProviderFormProps) {
  const [draft, setDraft] = useState<ProviderDraft>(() => draftFromProvider(provider));
  useReportUnsaved(`settings:provider:${provider?.id ?? 'new'}`, JSON.stringify(draft) !== JSON.stringify(draftFromProvider(provider)));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState<ProviderTestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const set = <K extends keyof ProviderDraft>(k: K, v: ProviderDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));

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
  return { draft, setDraft, set, errors, saving, test, testing, runTest, fetchModels, save, remove };
}

export function ProviderForm(props: ProviderFormProps) {
  const { provider } = props;
  const { draft, setDraft, set, errors, saving, test, testing, runTest, fetchModels, save, remove } = useProviderForm(props);
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

      <PriceTable draft={draft} setDraft={setDraft} error={errors.models} testing={testing} onFetch={() => void fetchModels()} />

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


function PriceTable({ draft, setDraft, error, testing, onFetch }: {
  draft: ProviderDraft;
  setDraft: Dispatch<SetStateAction<ProviderDraft>>;
  error: string | undefined;
  testing: boolean;
  onFetch: () => void;
}) {
  const setRow = (i: number, patch: Partial<ModelRow>) => setDraft((d) => ({ ...d, models: d.models.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  return (
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
      {error ? <p className="field-error">{error}</p> : null}
      <div className="row-buttons">
        <Button size="sm" icon="plus" onClick={() => setDraft((d) => ({ ...d, models: [...d.models, emptyModelRow()] }))} data-testid="model-add">
          Add model
        </Button>
        <Button size="sm" icon="download" busy={testing} onClick={onFetch} data-testid="models-fetch">
          Fetch models from provider
        </Button>
      </div>
    </fieldset>
  );
}
