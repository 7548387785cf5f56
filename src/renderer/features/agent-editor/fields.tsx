// Form building blocks for the agent editor: every input has a visible label, a hint and an
// inline error wired with aria-describedby / aria-invalid.
import { useId, useState, type ReactNode } from 'react';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';

interface FieldShellProps {
  label: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: (ids: { inputId: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

export function Field({ label, hint, error, required, children }: FieldShellProps) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={inputId}>
        {label}
        {required ? (
          <span className="field-required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {children({ inputId, describedBy, invalid: Boolean(error) })}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          <Icon name="alert" size={12} /> {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({
  label,
  value,
  onChange,
  onBlur,
  error,
  hint,
  required,
  placeholder,
  testId,
  multiline,
  rows,
  mono,
  type = 'text',
  list,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  placeholder?: string;
  testId?: string;
  multiline?: boolean;
  rows?: number;
  mono?: boolean;
  type?: 'text' | 'number';
  list?: string;
}) {
  return (
    <Field label={label} hint={hint} error={error} required={required}>
      {({ inputId, describedBy, invalid }) =>
        multiline ? (
          <textarea
            id={inputId}
            className={`input textarea${mono ? ' mono' : ''}`}
            value={value}
            rows={rows ?? 4}
            placeholder={placeholder}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            aria-required={required || undefined}
            spellCheck={!mono}
            onChange={(e) => onChange(e.target.value)}
            onBlur={onBlur}
            data-testid={testId}
          />
        ) : (
          <input
            id={inputId}
            className={`input${mono ? ' mono' : ''}`}
            type={type}
            value={value}
            placeholder={placeholder}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            aria-required={required || undefined}
            list={list}
            onChange={(e) => onChange(e.target.value)}
            onBlur={onBlur}
            data-testid={testId}
          />
        )
      }
    </Field>
  );
}

/** An editable list of short strings (MCP server names, paths): chips plus an add box. */
export function ListField({
  label,
  items,
  onChange,
  placeholder,
  hint,
  error,
  testId,
}: {
  label: string;
  items: string[];
  onChange: (items: string[]) => void;
  placeholder: string;
  hint?: ReactNode;
  error?: string;
  testId?: string;
}) {
  const [text, setText] = useState('');
  const add = () => {
    const value = text.trim();
    if (!value) return;
    if (!items.includes(value)) onChange([...items, value]);
    setText('');
  };
  const listId = useId();
  return (
    <Field label={label} hint={hint} error={error}>
      {({ inputId, describedBy, invalid }) => (
        <div className="list-field" data-testid={testId}>
          {items.length > 0 ? (
            <ul className="chip-list" id={listId} aria-label={`${label} added`}>
              {items.map((item) => (
                <li key={item} className="chip">
                  <span className="chip-text">{item}</span>
                  <button type="button" className="chip-remove" aria-label={`Remove ${item}`} onClick={() => onChange(items.filter((i) => i !== item))}>
                    <Icon name="x" size={12} />
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="list-field-add">
            <input
              id={inputId}
              className="input mono"
              value={text}
              placeholder={placeholder}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  add();
                }
              }}
            />
            <Button size="sm" icon="plus" onClick={add} disabled={!text.trim()} aria-label={`Add to ${label}`}>
              Add
            </Button>
          </div>
        </div>
      )}
    </Field>
  );
}

export function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="form-section" aria-labelledby={id}>
      <div className="form-section-head">
        <h3 id={id} className="form-section-title">
          {title}
        </h3>
        {description ? <p className="form-section-description">{description}</p> : null}
      </div>
      <div className="form-section-body">{children}</div>
    </section>
  );
}
