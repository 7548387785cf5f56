// The global key handler: runs the command whose shortcut was pressed (commands.ts). Plain keys
// ("?", F2) are left to fields while the user types; modified combos work everywhere. While a
// dialog is open only the palette's own toggle applies: the dialog owns the keyboard.
import { useEffect } from 'react';
import { COMMANDS, matches } from './commands';

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type));
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const command = COMMANDS.find((c) => c.keys && matches(c.keys, event));
      if (!command) return;
      if (document.querySelector('dialog[open]')) return;
      if (typingIn(event.target) && !command.whileTyping) return;
      // Searches have their own handlers (the session's search box, the global search dialog).
      if (command.id === 'search-session' || command.id === 'search-all') return;
      if (!command.enabled()) return;
      event.preventDefault();
      command.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
