// Plain Vite build of the renderer: the browser host serves out/renderer and Electron loads
// the same files, so relative asset paths (base './') work from a file or custom protocol.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: resolve(here, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, 'out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The built HTML must keep working under a strict CSP: no inline module preload polyfill.
    modulePreload: { polyfill: false },
    // One chunk on purpose: a desktop app loads from disk, and zod (the shared contract) is most of it.
    chunkSizeWarningLimit: 900,
  },
});
