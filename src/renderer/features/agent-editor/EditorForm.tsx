// The agent editor's configuration form: every field of AgentConfig with inline validation.
// Ctrl/Cmd+S saves like the Save button.
import { useEffect, useId, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { checkCron } from '../../lib/cron';
import { formatDateTime } from '../../lib/format';
import { useAgentEditorStore } from './store';
import { selectDraft, selectVisibleErrors } from './selectors';
import { BUILTIN_TOOLS, PERMISSION_MODE_INFO, type AgentDraft, type DraftField } from './agentForm';
import { ListField, Section, TextField } from './fields';
import { ModelPicker } from '../runtime/ModelPicker';
import { RefineTitlesToggle } from './RefineTitlesToggle';

const TYPE_SUGGESTIONS = ['assistant', 'coder', 'researcher', 'reviewer', 'planner', 'automation'];

export function EditorForm({ nameRef, onSubmit }: { nameRef: React.MutableRefObject<HTMLElement | null>; onSubmit: () => void }) {
  const draft = useAgentEditorStore(selectDraft);
  const errors = useAgentEditorStore(useShallow(selectVisibleErrors));
  const { setField, touch } = useAgentEditorStore.getState();
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    nameRef.current = formRef.current?.querySelector<HTMLElement>('[data-testid="agent-name-input"]') ?? null;
    nameRef.current?.focus();
  }, [nameRef]);

  const bind = <K extends DraftField>(field: K) => ({
    onChange: (value: AgentDraft[K]) => setField(field, value),
    onBlur: () => touch(field),
    error: errors[field],
  });

  return (
    <form
      ref={formRef}
      className="agent-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
          e.preventDefault();
          onSubmit();
        }
      }}
    >
      <Section title="Identity">
        <div className="form-grid">
          <TextField label="Name" required value={draft.name} placeholder="e.g. Code reviewer" testId="agent-name-input" {...bind('name')} />
          <TextField label="Type" value={draft.type} list="agent-type-suggestions" placeholder="assistant" {...bind('type')} />
        </div>
        <datalist id="agent-type-suggestions">
          {TYPE_SUGGESTIONS.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <TextField label="Description" multiline rows={2} value={draft.description} placeholder="What is this agent for?" {...bind('description')} />
        <TextField label="Avatar" value={draft.avatar} placeholder="An emoji or up to 3 letters" hint="Leave empty to use the initials of the name." {...bind('avatar')} />
      </Section>

      <Section title="Instructions" description="The system prompt: who the agent is and how it should work.">
        <TextField label="Instructions" multiline rows={7} mono value={draft.instructions} placeholder="You are a careful reviewer…" testId="agent-instructions-input" {...bind('instructions')} />
      </Section>

      <Section title="Models" description="Leave a model empty to use the provider's default.">
        <div className="form-grid form-grid-3">
          <ModelPicker label="Model" value={draft.model} placeholder="Default" testId="agent-model-input" {...bind('model')} />
          <ModelPicker label="Plan model" value={draft.planModel} placeholder="Same as model" {...bind('planModel')} />
          <ModelPicker label="Small model" value={draft.smallModel} placeholder="Same as model" {...bind('smallModel')} />
        </div>
        <RefineTitlesToggle settingsText={draft.settingsText} onChange={(text) => setField('settingsText', text)} />
      </Section>

      <Section title="Tools and access">
        <BuiltinToolsField selected={draft.builtinTools} onChange={(v) => setField('builtinTools', v)} />
        <ListField label="MCP servers" items={draft.mcpServers} placeholder="Server name" hint="Names of configured MCP servers this agent may use." onChange={(v) => setField('mcpServers', v)} error={errors.mcpServers} testId="mcp-servers" />
        <ListField label="Accessible paths" items={draft.accessiblePaths} placeholder="/path/to/project" hint="Folders the file tools may read or change. Nothing outside them." onChange={(v) => setField('accessiblePaths', v)} error={errors.accessiblePaths} testId="accessible-paths" />
      </Section>

      <Section title="Permissions">
        <PermissionModeField value={draft.permissionMode} onChange={(v) => setField('permissionMode', v)} />
        <div className="form-grid">
          <TextField label="Max steps" type="number" value={draft.maxStepsText} hint="The run stops after this many model turns." {...bind('maxStepsText')} />
        </div>
      </Section>

      <Section title="Knowledge and settings" description="Structured data as JSON. Checked as you type.">
        <TextField label="Knowledge" multiline mono rows={4} value={draft.knowledgeText} hint="A JSON array of documents or facts." {...bind('knowledgeText')} />
        <TextField label="Settings" multiline mono rows={4} value={draft.settingsText} hint="A JSON object, e.g. {&quot;temperature&quot;: 0.2}." {...bind('settingsText')} />
      </Section>

      <Section title="Schedule" description="Run this agent unattended on a cron schedule.">
        <ScheduleField draft={draft} error={errors.schedule} onToggle={(on) => setField('scheduleEnabled', on)} onChange={(v) => setField('schedule', v)} onBlur={() => touch('schedule')} />
      </Section>
    </form>
  );
}

function BuiltinToolsField({ selected, onChange }: { selected: AgentDraft['builtinTools']; onChange: (value: AgentDraft['builtinTools']) => void }) {
  return (
    <fieldset className="fieldset">
      <legend className="field-label">Built-in tools</legend>
      <div className="checkbox-grid">
        {BUILTIN_TOOLS.map((tool) => {
          const checked = selected.includes(tool.id);
          return (
            <label key={tool.id} className={`check-card${checked ? ' is-checked' : ''}`}>
              <input type="checkbox" checked={checked} onChange={() => onChange(checked ? selected.filter((t) => t !== tool.id) : [...selected, tool.id])} />
              <span className="check-card-text">
                <span className="check-card-title">
                  <code>{tool.id}</code>
                </span>
                <span className="check-card-description">{tool.description}</span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

function PermissionModeField({ value, onChange }: { value: AgentDraft['permissionMode']; onChange: (value: AgentDraft['permissionMode']) => void }) {
  const name = useId();
  return (
    <fieldset className="fieldset">
      <legend className="field-label">Permission mode</legend>
      <div className="radio-list">
        {PERMISSION_MODE_INFO.map((mode) => {
          const descriptionId = `${name}-${mode.id}-description`;
          return (
            <label key={mode.id} className={`radio-card${value === mode.id ? ' is-checked' : ''}`}>
              <input type="radio" name={name} value={mode.id} checked={value === mode.id} onChange={() => onChange(mode.id)} aria-describedby={descriptionId} />
              <span className="radio-card-text">
                <span className="radio-card-title">{mode.label}</span>
                <span id={descriptionId} className="radio-card-description">
                  {mode.description}
                </span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

function ScheduleField({ draft, error, onToggle, onChange, onBlur }: { draft: AgentDraft; error?: string; onToggle: (on: boolean) => void; onChange: (v: string) => void; onBlur: () => void }) {
  const check = useMemo(() => (draft.scheduleEnabled && draft.schedule.trim() ? checkCron(draft.schedule) : null), [draft.scheduleEnabled, draft.schedule]);
  const hint = check?.ok ? (check.next ? `Next run: ${formatDateTime(check.next)}` : 'This schedule never runs again.') : 'Five fields: minute hour day month weekday, e.g. 0 9 * * 1-5 (weekdays at 9:00).';
  return (
    <div className="schedule-field">
      <label className="switch-row">
        <input type="checkbox" checked={draft.scheduleEnabled} onChange={(e) => onToggle(e.target.checked)} data-testid="schedule-toggle" />
        <span>Run on a schedule</span>
      </label>
      {draft.scheduleEnabled ? (
        <TextField label="Cron expression" mono value={draft.schedule} placeholder="0 9 * * 1-5" hint={hint} error={error} onChange={onChange} onBlur={onBlur} testId="schedule-input" />
      ) : null}
    </div>
  );
}
