// Canvas needs concrete colours; the theme's are CSS custom properties (light-dark()). A hidden
// probe resolves them, again whenever the theme changes.
import type { Palette } from './draw';

const VARS: Record<keyof Palette, string> = {
  user: '--tl-user',
  model: '--tl-model',
  thinking: '--tl-thinking',
  writing: '--tl-writing',
  approval: '--tl-approval',
  tool: '--tl-tool',
  error: '--tl-error',
  system: '--tl-system',
  text: '--text',
  muted: '--text-muted',
  grid: '--border',
  active: '--bg-active',
  bg: '--bg-panel',
  cursor: '--danger',
  focus: '--focus',
};

export function readPalette(host: HTMLElement): Palette {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  host.appendChild(probe);
  const out = {} as Palette;
  for (const [key, name] of Object.entries(VARS) as Array<[keyof Palette, string]>) {
    probe.style.color = `var(${name})`;
    out[key] = getComputedStyle(probe).color;
  }
  probe.remove();
  return out;
}
