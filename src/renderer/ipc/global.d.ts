import type { PaddockApi, PaddockBridge } from '../../shared/ipc';

declare global {
  interface Window {
    /** The one API the UI talks to; set by getPaddockApi() (src/renderer/ipc). */
    paddock: PaddockApi;
    /** Set by the Electron preload only; the browser host has none. */
    paddockBridge?: PaddockBridge;
  }
}

export {};
