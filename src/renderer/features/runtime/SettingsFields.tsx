// The form pieces the settings panels are built from: a form that submits without a page load,
// and a labelled row with its error.

import type { ReactNode } from 'react';

export function SettingsForm({ label, onSubmit, testId, children }: { label?: string; onSubmit: () => Promise<void>; testId: string; children: ReactNode }) {
  return (
    <form
      className="settings-form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
      data-testid={testId}
    >
      {children}
    </form>
  );
}

/** A labelled form row; `children` is the control (and any hint) `id` belongs to. */
export function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}
