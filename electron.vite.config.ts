// electron-vite build of the desktop app: main (ESM, out/main/index.js as package.json "main",
// and beside it the log writer's worker thread, writer-worker.mjs, where its connection looks),
// a sandboxed preload (must be a single CommonJS file, so its dependencies are bundled in) and
// the same renderer the browser host serves (see vite.renderer.config.ts).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));

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
    plugins: [react()],
    build: {
      outDir: resolve(here, 'out/renderer'),
      target: 'es2022',
      modulePreload: { polyfill: false },
      rolldownOptions: { input: resolve(here, 'src/renderer/index.html') },
    },
  },
});
