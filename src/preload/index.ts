// Sandboxed preload: exposes the contract bridge and nothing else. It must stay a single
// bundled file (electron.vite.config.ts bundles its dependencies) because a sandboxed preload
// can require only `electron`.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('paddockBridge', createBridge(ipcRenderer));
