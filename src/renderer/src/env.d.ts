// Ambient types for the renderer: Vite's client types and the preload bridge on `window`.
/// <reference types="vite/client" />

import type { PreloadApi } from '../../shared/api';

declare global {
  interface Window {
    /** Present only inside Electron, exposed by src/preload through contextBridge. */
    vmlab?: PreloadApi;
  }
}
