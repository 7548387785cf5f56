// Saving and opening files, in one place so a host can offer native dialogs later. Today both
// hosts use the browser path: a Blob download (Electron turns it into a save dialog) and a
// hidden <input type=file>.

export interface OpenedFile {
  name: string;
  text: string;
}

/** Offers `data` as a pretty-printed JSON download named `suggestedName`. */
export async function saveJsonFile(suggestedName: string, data: unknown): Promise<void> {
  const json = JSON.stringify(data, null, 2);
  const blob = new Blob([json], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = suggestedName;
    link.rel = 'noopener';
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
  } finally {
    // The click has handed the blob to the download manager; revoke after it had time to read.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }
}

/** Lets the user pick one file; resolves null when the picker is dismissed. */
export function openTextFile(accept = '.json,application/json'): Promise<OpenedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.setAttribute('data-testid', 'file-input');
    let settled = false;
    const finish = (value: OpenedFile | null) => {
      if (settled) return;
      settled = true;
      input.remove();
      resolve(value);
    };
    input.addEventListener('cancel', () => finish(null));
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return finish(null);
      file.text().then(
        (text) => finish({ name: file.name, text }),
        () => finish(null),
      );
    });
    document.body.appendChild(input);
    input.click();
  });
}

/** A file name safe on every OS: "My agent: v2" -> "my-agent-v2". */
export function fileSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'export';
}
