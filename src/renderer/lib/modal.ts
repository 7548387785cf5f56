// Moving focus while a modal <dialog> is open does not work: the page behind it is inert, and the
// dialog returns focus to whatever opened it when it closes. Focus that must land after a dialog
// closes (opening a search hit) waits for this.

/**
 * Resolves once no modal dialog is open. A closing dialog fires 'close' after it has returned
 * focus (Dialog.tsx does that synchronously as it closes), so focus moved after this stays put.
 */
export function whenNoModalOpen(): Promise<void> {
  const open = document.querySelector('dialog[open]');
  if (!open) return Promise.resolve();
  return new Promise((resolve) => open.addEventListener('close', () => resolve(), { once: true }));
}
