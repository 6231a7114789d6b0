// Where the built bundles sit relative to an entry bundle (out/main/*.js). Only entry
// modules call this with their own import.meta.url: shared code may land in out/main/chunks.

import { fileURLToPath } from 'node:url';

export interface BundlePaths {
  /** The engine worker bundle. */
  engineWorker: URL;
  /** The built renderer folder (index.html and assets). */
  rendererDir: string;
  /** The preload bundle for Electron windows. */
  preload: string;
}

export function bundlePaths(entryUrl: string): BundlePaths {
  return {
    engineWorker: new URL('./engine-worker.js', entryUrl),
    rendererDir: fileURLToPath(new URL('../renderer/', entryUrl)),
    preload: fileURLToPath(new URL('../preload/index.cjs', entryUrl)),
  };
}
