// A searchable model field (ARIA combobox with a listbox): the configured providers' models as
// "Provider · model" with their context window and price. Picking one stores the stable
// `<providerId>:<model>` reference; typing anything else is kept as free text and checked
// (an unknown provider is said below the field, as the run would refuse it).
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Field } from '../agent-editor/fields';
import { useRuntimeStore } from './store';
import { selectProviders } from './selectors';
import { describeModel, modelChoices, modelFacts, type ModelChoice } from './modelRef';

export interface ModelPickerProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  placeholder?: string;
  error?: string;
  testId?: string;
}

const MAX_SHOWN = 50;

export function ModelPicker({ label, value, onChange, onBlur, placeholder, error, testId }: ModelPickerProps) {
  const providers = useRuntimeStore(selectProviders);
  const choices = useMemo(() => modelChoices(providers), [providers]);
  const display = (v: string) => (v && !describeModel(v, providers).problem ? describeModel(v, providers).text : v);
  const [text, setText] = useState(() => display(value));
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const focused = useRef(false);
  const listId = useId();

  // Outside changes (a reset, providers loading or renamed) show through while not typing.
  useEffect(() => {
    if (!focused.current) setText(display(value));
  }, [value, providers]);

  const query = text.trim().toLowerCase();
  const shown = useMemo(() => matching(choices, query, display(value).toLowerCase()), [choices, query, value]);

  const pick = (choice: ModelChoice) => {
    setText(`${choice.providerName} · ${choice.model}`);
    onChange(choice.ref);
    setOpen(false);
  };
  const type = (next: string) => {
    setText(next);
    setOpen(true);
    setActive(0);
    onChange(valueOfText(next, choices, providers));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) setOpen(true);
      else if (shown.length > 0) setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : -1) + shown.length) % shown.length);
    } else if (event.key === 'Enter' && open && shown[active]) {
      event.preventDefault();
      pick(shown[active]);
    } else if (event.key === 'Escape' && open) {
      // Closes the list only; the dialog's own Escape comes with the next press.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  const { hint, problem } = fieldNotes(value, providers);
  const listOpen = open && shown.length > 0;
  return (
    <Field label={label} hint={hint} error={error ?? problem ?? undefined}>
      {({ inputId, describedBy, invalid }) => (
        <div className="model-picker">
          <input
            id={inputId}
            className="input input-mono"
            role="combobox"
            aria-expanded={listOpen}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={listOpen && shown[active] ? `${listId}-${active}` : undefined}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            autoComplete="off"
            spellCheck={false}
            value={text}
            placeholder={placeholder}
            onChange={(e) => type(e.target.value)}
            onFocus={() => {
              focused.current = true;
            }}
            onClick={() => setOpen(true)}
            onBlur={() => {
              focused.current = false;
              setOpen(false);
              setText(display(value));
              onBlur?.();
            }}
            onKeyDown={onKeyDown}
            data-testid={testId}
          />
          <ModelOptions listId={listId} label={label} shown={listOpen ? shown : []} active={active} onPick={pick} />
        </div>
      )}
    </Field>
  );
}

/** The choices whose "provider model" holds every typed word; none filter while the text is the current value's. */
function matching(choices: readonly ModelChoice[], query: string, currentText: string): ModelChoice[] {
  const words = query === currentText ? [] : query.split(/[\s·:]+/).filter(Boolean);
  return choices.filter((c) => words.every((w) => `${c.providerName} ${c.model}`.toLowerCase().includes(w))).slice(0, MAX_SHOWN);
}

/** Below the field: the chosen model's facts, or why the value would not run. */
function fieldNotes(value: string, providers: Parameters<typeof describeModel>[1]): { hint: string | undefined; problem: string | null } {
  if (!value) return { hint: undefined, problem: null };
  const described = describeModel(value, providers);
  return { hint: described.problem ? undefined : modelFacts(described.info) || undefined, problem: described.problem };
}

/** The suggestions under the field; options are picked with the mouse here, with the keyboard in the field. */
function ModelOptions({ listId, label, shown, active, onPick }: { listId: string; label: string; shown: readonly ModelChoice[]; active: number; onPick: (c: ModelChoice) => void }) {
  return (
    <ul id={listId} role="listbox" aria-label={`${label} suggestions`} className="model-picker-list" hidden={shown.length === 0}>
      {shown.map((c, i) => (
        <li
          key={c.ref}
          id={`${listId}-${i}`}
          role="option"
          aria-selected={i === active}
          className={`model-picker-option${i === active ? ' is-active' : ''}`}
          // mousedown, not click: the input's blur would close the list first.
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(c);
          }}
          data-testid="model-option"
        >
          <span className="model-picker-name">
            {c.providerName} · {c.model}
          </span>
          {modelFacts(c.info) ? <span className="model-picker-facts">{modelFacts(c.info)}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * What typed text stores: a listed "Provider · model" is that model's reference; "Provider ·
 * other" is a reference to that provider; anything else is kept as typed (an id, "name:model").
 */
export function valueOfText(text: string, choices: readonly ModelChoice[], providers: readonly { id: string; name: string }[]): string {
  const t = text.trim();
  if (!t) return '';
  const listed = choices.find((c) => `${c.providerName} · ${c.model}`.toLowerCase() === t.toLowerCase());
  if (listed) return listed.ref;
  const dot = t.indexOf(' · ');
  if (dot > 0) {
    const provider = providers.find((p) => p.name.toLowerCase() === t.slice(0, dot).trim().toLowerCase());
    const model = t.slice(dot + 3).trim();
    if (provider && model) return `${provider.id}:${model}`;
  }
  return t;
}
