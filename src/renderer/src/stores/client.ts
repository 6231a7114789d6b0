// The ApiClient the stores use: set once at startup (or by a test), read by every store.

import type { RendererApiClient } from '../api/connection';
import { createVmFiles, type VmFiles } from '../api/vm-files';

let current: RendererApiClient | null = null;
let files: VmFiles | null = null;

/** Installs the client; main.ts calls this before the first store is used, tests per test. */
export function setApiClient(client: RendererApiClient | null): void {
  current = client;
}

/** The installed client; a store used before setApiClient is a programming error. */
export function apiClient(): RendererApiClient {
  if (!current) throw new Error('vmlab: setApiClient() was not called before using a store');
  return current;
}

/** Installs the VM file transport (tests pass a fake; null restores the page's own). */
export function setVmFiles(next: VmFiles | null): void {
  files = next;
}

/** The VM file transport: Electron dialogs or web download and upload. */
export function vmFiles(): VmFiles {
  files ??= createVmFiles();
  return files;
}
