// electron-vite build of the desktop app: main (ESM, out/main/index.js as package.json "main",
// and beside it the log writer's worker thread, writer-worker.mjs, where its connection looks),
// a sandboxed preload (must be a single CommonJS file, so its dependencies are bundled in) and
// the renderer, built into out/desktop with the desktop's own strict CSP in its index.html (the
// browser host serves out/renderer, whose policy also allows its WebSocket: vite.renderer.config.ts).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { withDesktopPolicy } from './src/main/electron/security';

const here = fileURLToPath(new URL('.', import.meta.url));

const desktopCsp: Plugin = { name: 'paddock-desktop-csp', transformIndexHtml: { order: 'post', handler: withDesktopPolicy } };

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: { index: resolve(here, 'src/main/electron/main.ts'), 'writer-worker': resolve(here, 'src/main/logs/writer-worker.ts') },
        // .mjs: the name src/main/logs/worker-entry.ts looks for, ESM wherever it is copied.
        output: { format: 'es', entryFileNames: (chunk) => (chunk.name === 'writer-worker' ? '[name].mjs' : '[name].js') },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(here, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(here, 'src/renderer'),
    base: './',
    plugins: [react(), desktopCsp],
    build: {
      outDir: resolve(here, 'out/desktop'),
      target: 'es2022',
      modulePreload: { polyfill: false },
      rolldownOptions: { input: resolve(here, 'src/renderer/index.html') },
    },
  },
});
