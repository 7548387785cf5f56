// Copy to the clipboard, with a short "Copied" confirmation announced to screen readers.
import { useState } from 'react';
import { Icon } from '../../components/Icon';

export function copyText(text: string): Promise<boolean> {
  if (!navigator.clipboard) return Promise.resolve(false);
  return navigator.clipboard.writeText(text).then(
    () => true,
    () => false,
  );
}

export function CopyButton({ text, label }: { text: string | (() => string); label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="copy-button"
      tabIndex={-1}
      aria-label={state === 'copied' ? 'Copied' : label}
      title={label}
      onClick={(event) => {
        event.stopPropagation();
        void copyText(typeof text === 'function' ? text() : text).then((ok) => {
          setState(ok ? 'copied' : 'failed');
          setTimeout(() => setState('idle'), 1500);
        });
      }}
      data-testid="copy-button"
    >
      <Icon name={state === 'copied' ? 'check' : 'copy'} size={12} />
      <span className="copy-button-text" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
      </span>
    </button>
  );
}

/** A copy button on each code block of rendered Markdown (the HTML is not React's). */
export function addCodeCopyButtons(container: HTMLElement | null): void {
  if (!container) return;
  for (const pre of container.querySelectorAll('pre')) {
    if (pre.querySelector(':scope > .copy-code')) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-button copy-code';
    button.tabIndex = -1;
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code');
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      const code = pre.querySelector('code')?.textContent ?? '';
      void copyText(code).then((ok) => {
        button.textContent = ok ? 'Copied' : 'Copy failed';
        setTimeout(() => (button.textContent = 'Copy'), 1500);
      });
    });
    pre.prepend(button);
  }
}
