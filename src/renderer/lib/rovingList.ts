// Arrow-key movement between the main buttons of a list (one tab stop for the whole list).
import type { KeyboardEvent } from 'react';

/** Handles Up/Down/Home/End on an element inside `[data-roving]` items; returns the new index or null. */
export function rovingKey(event: KeyboardEvent<HTMLElement>, count: number, current: number): number | null {
  let next: number;
  switch (event.key) {
    case 'ArrowDown':
      next = Math.min(count - 1, current + 1);
      break;
    case 'ArrowUp':
      next = Math.max(0, current - 1);
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = count - 1;
      break;
    default:
      return null;
  }
  event.preventDefault();
  return next;
}

export function focusRovingItem(container: HTMLElement | null, index: number): void {
  container?.querySelectorAll<HTMLElement>('[data-roving]')[index]?.focus();
}
